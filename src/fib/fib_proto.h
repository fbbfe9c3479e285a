/*
 * fib_proto: the FIB protocol between a FIB writer (vtopod's fib_dp
 * backend, a controller, a test programmer) and the data plane vtopo-dp,
 * over a Unix stream socket.  The wire format is documented in
 * docs/fib-protocol.md; this file is its pure encoder and decoder.
 *
 * Every message: a fixed 8-octet header (u32 total length including the
 * header, u16 type, u16 reserved = 0), then a fixed binary body.  One
 * message per struct fib_op.  All integers big-endian.
 *
 * Not for: sockets, state, what a backend does with an op (fib_dp.c,
 * src/dp/).
 */
#ifndef VTOPO_FIB_PROTO_H
#define VTOPO_FIB_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fib/fib.h"
#include "lib/wbuf.h"

#define FIB_PROTO_VERSION 1
#define FIB_PROTO_MAGIC 0x56544642u /* "VTFB" */
#define FIB_PROTO_HDR 8
#define FIB_PROTO_MAX 65536 /* largest message, header included */

enum fib_msg_type {
	FIB_MSG_HELLO = 1,	/* version handshake, both sides first */
	FIB_MSG_BATCH = 2,	/* start of a batch for generation `gen` */
	FIB_MSG_COMMIT = 3,	/* end of the batch: apply it */
	FIB_MSG_RESYNC_REQ = 4, /* "restate everything" (either side) */
	FIB_MSG_ACK = 5,	/* data plane: batch `gen` applied (status) */
	FIB_MSG_SHOW = 6,	/* ask for state and counters; text: the view */
	FIB_MSG_SHOW_REPLY = 7, /* JSON text */
	FIB_MSG_TRACE = 8,	/* trace command text; answered with SHOW_REPLY */
	FIB_MSG_OP_BASE = 16,	/* 16 + enum fib_op_type: one fib_op */
};

enum fib_role {
	FIB_ROLE_WRITER = 1, /* programs the FIB */
	FIB_ROLE_DP = 2,     /* the data plane */
	FIB_ROLE_SHOW = 3,   /* read-only client (show) */
};

struct fib_msg {
	uint16_t type;
	union {
		struct {
			uint16_t version;
			uint8_t role;
			uint64_t gen; /* the generation the sender holds, 0 = none */
		} hello;
		uint64_t gen; /* BATCH, COMMIT */
		struct {
			uint64_t gen;
			uint32_t status; /* 0 = applied; else ops refused */
		} ack;
		struct {
			const char *p; /* borrowed from the decoded buffer */
			size_t len;
		} text; /* SHOW (empty, or "labels"), SHOW_REPLY, TRACE */
		struct fib_op op;
	} u;
};

/* Encode one message; returns false if it does not fit (or is invalid). */
bool fib_proto_encode(struct wbuf *w, const struct fib_msg *m);

/* Framing: how long is the message at the start of buf?  Returns 1 with
 * *len set when a complete message is there, 0 when more bytes are needed,
 * -1 on a bad header (the connection must be closed). */
int fib_proto_frame(const uint8_t *buf, size_t avail, size_t *len);

/* Decode one complete message (buf, len from fib_proto_frame).  Returns
 * NULL, or a short reason why it was refused. */
const char *fib_proto_decode(const uint8_t *buf, size_t len, struct fib_msg *m);

const char *fib_proto_msg_name(uint16_t type);

#endif
