/*
 * nlri: one NLRI at a time, for every family in bgp_fam_table: IPv4/IPv6
 * unicast (RFC 4271 s4.3, RFC 4760), labeled unicast (RFC 8277), VPN-IPv4
 * and VPN-IPv6 (RFC 4364 s4.3.4, RFC 4659), RT-Constraint (RFC 4684 s4,
 * including the zero-length default), FlowSpec and VPN FlowSpec (RFC 8955,
 * RFC 8956; the components themselves are in flowspec.h).  ADD-PATH path
 * identifiers (RFC 7911 s3) are read/written when the caller says so.
 *
 * Decoding a field of NLRI is a loop of bgp_nlri_decode() until the view is
 * empty; an NLRI is a small value struct (no allocation), so the same loop
 * serves the validation pass and the RIB.
 *
 * Not for: path attributes (attr.h), whole UPDATEs (update.h).
 */
#ifndef VTOPO_NLRI_H
#define VTOPO_NLRI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/ecomm.h"
#include "lib/label.h"
#include "lib/prefix.h"
#include "lib/rbuf.h"
#include "lib/rd.h"
#include "lib/wbuf.h"
#include "wire/bgp.h"
#include "wire/verdict.h"

struct bgp_nlri {
	enum bgp_fam fam;
	bool has_path_id;
	uint32_t path_id;
	/* BGP_NK_PREFIX / LABELED / VPN */
	struct prefix pfx;
	struct label_stack labels; /* LABELED / VPN */
	struct rd rd;		   /* VPN / VPNFLOW */
	/* BGP_NK_RTC: RFC 4684 s4 prefix of (origin AS, route target) */
	uint8_t rtc_len; /* 0 (default), or 32..96 bits */
	uint32_t rtc_origin_as;
	struct ecomm rtc_rt; /* bits past rtc_len - 32 are zero */
	/* BGP_NK_FLOW / VPNFLOW: the components (after the RD), validated */
	struct rbuf flow;
};

/*
 * Decode the next NLRI of family `fam` from r.  `withdraw` marks an
 * MP_UNREACH / withdrawn-routes field, where RFC 8277 s2.4 says labeled
 * families carry one label entry (0x800000 or anything) that is ignored
 * for matching.  On failure returns false, raises `err_on_fail` (the
 * caller's context: BGP_E_UPD_NLRI, BGP_E_MP_REACH_NLRI, ...) with the
 * offending bytes, and leaves r where the bad NLRI starts.
 * Framing errors (lengths, truncation, label stack without S, RTC lengths
 * 1..31 or > 96) raise err_on_fail with the bytes from the NLRI to the end
 * of r; malformed flow components raise only BGP_E_FLOWSPEC_NLRI (raised
 * by flowspec_validate(); an empty component list is one too).
 * Trailing bits past a prefix / RTC length are cleared (RFC 4271 s4.3).
 * For flow families n->flow is a view into r's buffer.
 */
bool bgp_nlri_decode(struct rbuf *r, enum bgp_fam fam, bool addpath, bool withdraw,
		     struct bgp_nlri *n, struct bgp_verdict *v, enum bgp_err err_on_fail);
/* Encode one NLRI; `withdraw` writes the RFC 8277 withdraw label 0x800000
 * for labeled families when n->labels is empty.  A withdrawal always has
 * exactly one label entry (n->labels.e[0] when present, so a decoded
 * withdrawal re-encodes byte-exact).  Host bits are written as zero.  An
 * NLRI whose length cannot be expressed (over 255 bits, flow over 4095
 * octets) sets the writer's overflow flag like a full buffer. */
void bgp_nlri_encode(struct wbuf *w, const struct bgp_nlri *n, bool addpath, bool withdraw);
/* Human/JSON key text: "192.0.2.0/24", "65000:1:192.0.2.0/24",
 * "65000:target:65001:100" (RTC), "default" (RTC zero length), FlowSpec
 * as flowspec_fmt().  Labels are not part of the key. Returns buf.
 * RTC shorter than 96 bits appends the length to the zero-padded target
 * ("65000:target:65001:0/64"); VPN FlowSpec is "<rd> <flowspec text>".
 * The path id is not part of the text (see bgp_nlri_cmp). */
#define BGP_NLRI_STRLEN 1024
char *bgp_nlri_fmt(const struct bgp_nlri *n, char *buf, size_t len);

/* The NLRI's RIB key: compares everything that identifies the route
 * (family, path id, RD, prefix / RTC bits / flow bytes), not labels. */
int bgp_nlri_cmp(const struct bgp_nlri *a, const struct bgp_nlri *b);

#endif
