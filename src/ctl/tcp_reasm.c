/*
 * tcp_reasm: one direction of a captured TCP stream put back in order
 * (see tcp_reasm.h).  Sequence numbers compare modulo 2^32 (RFC 9293
 * s3.4); held segments are a list sorted by their distance from next_seq.
 *
 * Not for: a live TCP stack; anything above TCP.
 */
#include "ctl/tcp_reasm.h"

#include <stdlib.h>
#include <string.h>

struct tcp_reasm_seg {
	struct tcp_reasm_seg *next;
	uint32_t seq;
	size_t len;
	uint8_t data[];
};

/* Signed distance from a to b in sequence space (RFC 9293 s3.4). */
static int64_t seq_diff(uint32_t b, uint32_t a)
{
	return (int32_t)(b - a);
}

void tcp_reasm_init(struct tcp_reasm *r, size_t max_bytes)
{
	memset(r, 0, sizeof(*r));
	r->max_bytes = max_bytes;
}

static void ooo_free(struct tcp_reasm *r)
{
	struct tcp_reasm_seg *s = r->ooo, *n;

	for (; s != NULL; s = n) {
		n = s->next;
		free(s);
	}
	r->ooo = NULL;
	r->ooo_bytes = 0;
}

void tcp_reasm_free(struct tcp_reasm *r)
{
	ooo_free(r);
	free(r->buf);
	tcp_reasm_init(r, r->max_bytes);
}

void tcp_reasm_syn(struct tcp_reasm *r, uint32_t isn)
{
	if (r->have_isn && r->isn == isn)
		return; /* retransmitted SYN */
	tcp_reasm_free(r);
	r->have_isn = true;
	r->isn = isn;
	r->started = true;
	r->next_seq = isn + 1;
}

/* Append in-order bytes; if the caller left more than the bound unread,
 * the oldest bytes go (counted as a gap). */
static bool append(struct tcp_reasm *r, const uint8_t *data, size_t len)
{
	if (r->len + len > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		uint8_t *nb;

		while (cap < r->len + len)
			cap *= 2;
		nb = realloc(r->buf, cap);
		if (nb == NULL)
			return false;
		r->buf = nb;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, data, len);
	r->len += len;
	r->next_seq += (uint32_t)len;
	if (r->len > r->max_bytes) {
		size_t drop = r->len - r->max_bytes;

		tcp_reasm_consume(r, drop);
		r->dropped += drop;
		r->gaps++;
	}
	return true;
}

/* Move held segments that now touch next_seq into the buffer. */
static bool drain(struct tcp_reasm *r)
{
	struct tcp_reasm_seg *s;

	while ((s = r->ooo) != NULL) {
		int64_t off = seq_diff(s->seq, r->next_seq);

		if (off > 0)
			break;
		r->ooo = s->next;
		r->ooo_bytes -= s->len;
		if (off + (int64_t)s->len > 0 &&
		    !append(r, s->data + (size_t)-off, s->len - (size_t)-off)) {
			free(s);
			return false;
		}
		free(s);
	}
	return true;
}

/* Give up on the hole before the first held segment. */
static bool skip_gap(struct tcp_reasm *r)
{
	if (r->ooo == NULL)
		return true;
	r->lost += (uint64_t)seq_diff(r->ooo->seq, r->next_seq);
	r->dropped += r->len;
	r->len = 0;
	r->next_seq = r->ooo->seq;
	r->gaps++;
	return drain(r);
}

static enum tcp_reasm_res hold(struct tcp_reasm *r, uint32_t seq, const uint8_t *data, size_t len)
{
	int64_t off = seq_diff(seq, r->next_seq);
	struct tcp_reasm_seg **pp = &r->ooo, *s;

	while (*pp != NULL && seq_diff((*pp)->seq, r->next_seq) < off)
		pp = &(*pp)->next;
	if (*pp != NULL && (*pp)->seq == seq && (*pp)->len >= len)
		return TCP_REASM_DUP; /* same segment held already */
	s = malloc(sizeof(*s) + len);
	if (s == NULL)
		return TCP_REASM_NOMEM;
	s->seq = seq;
	s->len = len;
	memcpy(s->data, data, len);
	s->next = *pp;
	*pp = s;
	r->ooo_bytes += len;
	while (r->ooo != NULL && r->len + r->ooo_bytes > r->max_bytes)
		if (!skip_gap(r))
			return TCP_REASM_NOMEM;
	return TCP_REASM_HELD;
}

enum tcp_reasm_res tcp_reasm_add(struct tcp_reasm *r, uint32_t seq, const uint8_t *data, size_t len)
{
	int64_t off;

	if (len == 0)
		return TCP_REASM_DUP;
	if (!r->started) {
		r->started = true;
		r->next_seq = seq;
	}
	off = seq_diff(seq, r->next_seq);
	if (off + (int64_t)len <= 0)
		return TCP_REASM_DUP; /* a retransmission of bytes we have */
	if (off > 0)
		return hold(r, seq, data, len);
	/* overlaps what we have: keep only the new tail */
	if (!append(r, data + (size_t)-off, len - (size_t)-off) || !drain(r))
		return TCP_REASM_NOMEM;
	return TCP_REASM_OK;
}

bool tcp_reasm_flush(struct tcp_reasm *r)
{
	if (r->ooo == NULL)
		return false;
	return skip_gap(r);
}

void tcp_reasm_consume(struct tcp_reasm *r, size_t n)
{
	if (n > r->len)
		n = r->len;
	memmove(r->buf, r->buf + n, r->len - n);
	r->len -= n;
}

unsigned tcp_reasm_take_gaps(struct tcp_reasm *r)
{
	unsigned g = r->gaps;

	r->gaps = 0;
	return g;
}
