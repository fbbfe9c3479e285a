/*
 * decode_hex: `vtopoctl decode` on text: one BGP message per line in hex,
 * with or without the 16-byte marker (RFC 4271 s4.1); white space and ':'
 * between digits, '#' comments and blank lines are allowed.  A line that is
 * not hex is reported with its number and skipped.  Session parameters come
 * from the command line until an OPEN is seen; then both sides are assumed
 * to have sent that OPEN (it is negotiated with itself) for the lines after.
 *
 * Not for: captures (decode_pcap.c).
 */
#include "ctl/decode.h"

#include <stdlib.h>
#include <string.h>

#include "lib/hex.h"

#define HEX_MAX (BGP_MARKER_LEN + BGP_EXT_MAX_LEN)

static const uint8_t marker[BGP_MARKER_LEN] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

/* Cut a '#' comment; true when nothing but white space is left. */
static bool line_blank(char *line)
{
	char *hash = strchr(line, '#');

	if (hash != NULL)
		*hash = '\0';
	return line[strspn(line, " \t\r\n\v\f")] == '\0';
}

static void learn_open(struct decode_run *run, const uint8_t *msg, size_t len,
		       struct bgp_sess_params *p)
{
	struct bgp_caps caps;
	uint32_t asn;

	if (!decode_open_caps(msg, len, &caps, &asn))
		return;
	/* both sides sent this OPEN: negotiate it with itself */
	bgp_caps_negotiate(&caps, &caps, run->params.ibgp, p);
}

void decode_hex(struct decode_run *run, FILE *in)
{
	struct bgp_sess_params p = run->params;
	uint8_t *buf = malloc(BGP_MARKER_LEN + HEX_MAX);
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	long n;

	if (buf == NULL) {
		decode_warn(run, true, "out of memory");
		return;
	}
	memcpy(buf, marker, BGP_MARKER_LEN);
	while (getline(&line, &cap, in) != -1) {
		const uint8_t *msg = buf + BGP_MARKER_LEN;

		lineno++;
		if (line_blank(line))
			continue;
		n = hex_decode(line, buf + BGP_MARKER_LEN, HEX_MAX);
		if (n <= 0) {
			decode_warn(run, true, "line %zu: not a hex BGP message (%s)", lineno,
				    n == 0 ? "no digits" : "bad digit, odd count or too long");
			continue;
		}
		/* without the marker: put it back in front */
		if (n < BGP_MARKER_LEN || memcmp(msg, marker, BGP_MARKER_LEN) != 0) {
			msg = buf;
			n += BGP_MARKER_LEN;
		}
		decode_emit(run, NULL, msg, (size_t)n, &p);
		learn_open(run, msg, (size_t)n, &p);
	}
	if (ferror(in))
		decode_warn(run, true, "read error");
	free(line);
	free(buf);
}
