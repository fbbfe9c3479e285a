/*
 * wbuf: the bounded writer that mirrors rbuf.
 *
 * Writes never go past `cap`; the first write that would sets a sticky
 * `overflow` flag and every later write is a no-op, so an encoder writes
 * straight through and checks wbuf_ok() once at the end.  Length fields are
 * written as placeholders, remembered with wbuf_mark(), and back-patched.
 *
 * Not for: reading wire data (rbuf.h).
 */
#ifndef VTOPO_WBUF_H
#define VTOPO_WBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wbuf {
	uint8_t *buf;
	size_t len; /* bytes written */
	size_t cap; /* hard limit */
	bool overflow;
};

static inline void wbuf_init(struct wbuf *w, void *buf, size_t cap)
{
	w->buf = buf;
	w->len = 0;
	w->cap = cap;
	w->overflow = false;
}

static inline bool wbuf_ok(const struct wbuf *w)
{
	return !w->overflow;
}
static inline size_t wbuf_len(const struct wbuf *w)
{
	return w->len;
}
static inline size_t wbuf_mark(const struct wbuf *w)
{
	return w->len;
}
static inline size_t wbuf_room(const struct wbuf *w)
{
	return w->overflow ? 0 : w->cap - w->len;
}

void wbuf_u8(struct wbuf *w, uint8_t v);
void wbuf_u16(struct wbuf *w, uint16_t v);
void wbuf_u24(struct wbuf *w, uint32_t v);
void wbuf_u32(struct wbuf *w, uint32_t v);
void wbuf_u64(struct wbuf *w, uint64_t v);
/* Write the low n bytes of v big-endian (n <= 8). */
void wbuf_uint(struct wbuf *w, size_t n, uint64_t v);
void wbuf_bytes(struct wbuf *w, const void *src, size_t n);
void wbuf_zero(struct wbuf *w, size_t n);
/* Back-patch a field written earlier at offset `mark`. */
void wbuf_patch_u8(struct wbuf *w, size_t mark, uint8_t v);
void wbuf_patch_u16(struct wbuf *w, size_t mark, uint16_t v);
/* Remove `n` bytes at offset `at`, shifting the tail down (used to shrink
 * a 2-octet length field to 1 octet after the fact). */
void wbuf_cut(struct wbuf *w, size_t at, size_t n);
/* Drop everything written after `mark` (undo a partial item). */
void wbuf_truncate(struct wbuf *w, size_t mark);

#endif
