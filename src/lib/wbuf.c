/* wbuf: bounded writer with sticky overflow; see wbuf.h. */
#include "lib/wbuf.h"

#include <string.h>

static bool wbuf_reserve(struct wbuf *w, size_t n)
{
	if (w->overflow || w->cap - w->len < n) {
		w->overflow = true;
		return false;
	}
	return true;
}

void wbuf_uint(struct wbuf *w, size_t n, uint64_t v)
{
	if (n > 8 || !wbuf_reserve(w, n))
		return;
	for (size_t i = 0; i < n; i++)
		w->buf[w->len + i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	w->len += n;
}

void wbuf_u8(struct wbuf *w, uint8_t v)
{
	wbuf_uint(w, 1, v);
}
void wbuf_u16(struct wbuf *w, uint16_t v)
{
	wbuf_uint(w, 2, v);
}
void wbuf_u24(struct wbuf *w, uint32_t v)
{
	wbuf_uint(w, 3, v);
}
void wbuf_u32(struct wbuf *w, uint32_t v)
{
	wbuf_uint(w, 4, v);
}
void wbuf_u64(struct wbuf *w, uint64_t v)
{
	wbuf_uint(w, 8, v);
}

void wbuf_bytes(struct wbuf *w, const void *src, size_t n)
{
	if (!n || !wbuf_reserve(w, n))
		return;
	memcpy(w->buf + w->len, src, n);
	w->len += n;
}

void wbuf_zero(struct wbuf *w, size_t n)
{
	if (!n || !wbuf_reserve(w, n))
		return;
	memset(w->buf + w->len, 0, n);
	w->len += n;
}

void wbuf_patch_u8(struct wbuf *w, size_t mark, uint8_t v)
{
	if (w->overflow || mark + 1 > w->len)
		return;
	w->buf[mark] = v;
}

void wbuf_patch_u16(struct wbuf *w, size_t mark, uint16_t v)
{
	if (w->overflow || mark + 2 > w->len)
		return;
	w->buf[mark] = (uint8_t)(v >> 8);
	w->buf[mark + 1] = (uint8_t)v;
}

void wbuf_cut(struct wbuf *w, size_t at, size_t n)
{
	if (w->overflow || at + n > w->len)
		return;
	memmove(w->buf + at, w->buf + at + n, w->len - at - n);
	w->len -= n;
}

void wbuf_truncate(struct wbuf *w, size_t mark)
{
	if (mark <= w->len) {
		w->len = mark;
		w->overflow = false;
	}
}
