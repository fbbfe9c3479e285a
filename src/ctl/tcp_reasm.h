/*
 * tcp_reasm: reassembly of one direction of a captured TCP stream, for the
 * decoder CLI.  Segments are fed in capture order with their sequence
 * numbers (RFC 9293 s3.4, modulo 2^32); the reassembler hands back the
 * contiguous in-order bytes that follow what the caller has consumed.
 * Retransmitted and overlapping bytes are dropped, out-of-order segments are
 * held until the hole before them is filled, and buffering is bounded: when
 * the bound is hit the hole is declared lost (a capture gap), the partial
 * bytes before it are dropped, and reading resumes after it.
 *
 * Not for: a live TCP stack (no ACKs, windows or timers); anything BGP.
 */
#ifndef VTOPO_CTL_TCP_REASM_H
#define VTOPO_CTL_TCP_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tcp_reasm_seg;

struct tcp_reasm {
	bool started; /* next_seq is known */
	uint32_t isn; /* of the SYN that started the stream */
	bool have_isn;
	uint32_t next_seq; /* sequence number of the byte after buf */
	uint8_t *buf;	   /* in-order bytes not yet consumed */
	size_t len, cap;
	struct tcp_reasm_seg *ooo; /* out-of-order segments, by sequence number */
	size_t ooo_bytes;
	size_t max_bytes; /* bound on buffered bytes (in order + out of order) */
	uint64_t lost;	  /* bytes skipped over at gaps, cumulative */
	uint64_t dropped; /* received bytes dropped at gaps, cumulative */
	unsigned gaps;	  /* gaps not yet reported (tcp_reasm_take_gaps) */
};

enum tcp_reasm_res {
	TCP_REASM_OK,	/* bytes appended, maybe after draining held segments */
	TCP_REASM_HELD, /* out of order: held until the hole fills */
	TCP_REASM_DUP,	/* everything was already received */
	TCP_REASM_NOMEM,
};

void tcp_reasm_init(struct tcp_reasm *r, size_t max_bytes);
void tcp_reasm_free(struct tcp_reasm *r);
/* A SYN with initial sequence number isn: start (or restart) the stream;
 * data begins at isn + 1.  A retransmitted SYN changes nothing. */
void tcp_reasm_syn(struct tcp_reasm *r, uint32_t isn);
/* Data at sequence number seq.  Without a SYN the first segment seen
 * starts the stream (a capture begun mid-connection). */
enum tcp_reasm_res tcp_reasm_add(struct tcp_reasm *r, uint32_t seq, const uint8_t *data,
				 size_t len);
/* End of capture: give up on the first hole so the bytes held after it
 * can be read (the unread bytes before it are dropped).  Returns false when
 * nothing was held.  Read what is available, then call again. */
bool tcp_reasm_flush(struct tcp_reasm *r);
/* The contiguous bytes available; valid until the next call. */
static inline const uint8_t *tcp_reasm_data(const struct tcp_reasm *r, size_t *len)
{
	*len = r->len;
	return r->buf;
}
/* The caller has used the first n bytes. */
void tcp_reasm_consume(struct tcp_reasm *r, size_t n);
/* Number of gaps since the last call (the byte stream is discontinuous:
 * a reader parsing records must resynchronise). */
unsigned tcp_reasm_take_gaps(struct tcp_reasm *r);

#endif
