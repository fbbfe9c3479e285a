/*
 * decode: what the parts of `vtopoctl decode` share: the run's state,
 * printing one message, and learning session parameters from an OPEN.
 * decode.c parses the command line and picks the input reader:
 * decode_hex.c (text, one message per line) or decode_pcap.c (captures).
 *
 * Not for: decoding BGP itself (src/wire), capture parsing (pcap_src.h).
 */
#ifndef VTOPO_CTL_DECODE_H
#define VTOPO_CTL_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ctl/ctl.h"
#include "wire/bgp.h"
#include "wire/msg.h"

struct json_object;

struct decode_run {
	const struct ctl_ctx *ctx;
	const char *input;	       /* name for messages ("-" is stdin) */
	struct bgp_sess_params params; /* from the command line */
	bool pretty;
	FILE *out;
	int status; /* CTL_EXIT_OK or CTL_EXIT_INPUT */
};

/* Print one message as a JSON object; `head` (may be NULL) holds keys that
 * go first ("time", "src", "dst") and is consumed. */
void decode_emit(struct decode_run *run, struct json_object *head, const uint8_t *msg, size_t len,
		 const struct bgp_sess_params *p);
/* A warning about the input on stderr ("vtopoctl decode: FILE: ..."); with
 * `bad` the run ends with CTL_EXIT_INPUT. */
void decode_warn(struct decode_run *run, bool bad, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* True when msg is a well-formed OPEN; fills its capabilities (without the
 * views into msg) and the speaker's AS. */
bool decode_open_caps(const uint8_t *msg, size_t len, struct bgp_caps *caps, uint32_t *asn);

void decode_hex(struct decode_run *run, FILE *in);
void decode_pcap(struct decode_run *run, FILE *in);

#endif
