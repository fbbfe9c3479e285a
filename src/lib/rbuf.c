/* rbuf: bounds-checked wire reader; see rbuf.h for the contract. */
#include "lib/rbuf.h"

#include <string.h>

bool rbuf_uint(struct rbuf *r, size_t n, uint64_t *v)
{
	uint64_t x = 0;

	if (n > 8 || rbuf_left(r) < n)
		return false;
	for (size_t i = 0; i < n; i++)
		x = (x << 8) | r->base[r->pos + i];
	r->pos += n;
	*v = x;
	return true;
}

bool rbuf_u8(struct rbuf *r, uint8_t *v)
{
	if (rbuf_left(r) < 1)
		return false;
	*v = r->base[r->pos++];
	return true;
}

bool rbuf_u16(struct rbuf *r, uint16_t *v)
{
	uint64_t x;

	if (!rbuf_uint(r, 2, &x))
		return false;
	*v = (uint16_t)x;
	return true;
}

bool rbuf_u24(struct rbuf *r, uint32_t *v)
{
	uint64_t x;

	if (!rbuf_uint(r, 3, &x))
		return false;
	*v = (uint32_t)x;
	return true;
}

bool rbuf_u32(struct rbuf *r, uint32_t *v)
{
	uint64_t x;

	if (!rbuf_uint(r, 4, &x))
		return false;
	*v = (uint32_t)x;
	return true;
}

bool rbuf_u64(struct rbuf *r, uint64_t *v)
{
	return rbuf_uint(r, 8, v);
}

bool rbuf_peek_u8(const struct rbuf *r, uint8_t *v)
{
	if (rbuf_left(r) < 1)
		return false;
	*v = r->base[r->pos];
	return true;
}

bool rbuf_peek_u16(const struct rbuf *r, uint16_t *v)
{
	if (rbuf_left(r) < 2)
		return false;
	*v = (uint16_t)(r->base[r->pos] << 8 | r->base[r->pos + 1]);
	return true;
}

bool rbuf_bytes(struct rbuf *r, void *dst, size_t n)
{
	if (rbuf_left(r) < n)
		return false;
	if (n)
		memcpy(dst, r->base + r->pos, n);
	r->pos += n;
	return true;
}

bool rbuf_skip(struct rbuf *r, size_t n)
{
	if (rbuf_left(r) < n)
		return false;
	r->pos += n;
	return true;
}

bool rbuf_sub(struct rbuf *r, size_t n, struct rbuf *sub)
{
	if (rbuf_left(r) < n)
		return false;
	sub->base = r->base;
	sub->pos = r->pos;
	sub->end = r->pos + n;
	r->pos += n;
	return true;
}

void rbuf_rest(struct rbuf *r, struct rbuf *sub)
{
	*sub = *r;
	r->pos = r->end;
}

const uint8_t *rbuf_ptr(const struct rbuf *r)
{
	return r->base + r->pos;
}

bool rbuf_equal(const struct rbuf *a, const struct rbuf *b)
{
	return rbuf_left(a) == rbuf_left(b) && memcmp(rbuf_ptr(a), rbuf_ptr(b), rbuf_left(a)) == 0;
}
