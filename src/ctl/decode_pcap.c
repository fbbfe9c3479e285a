/*
 * decode_pcap: `vtopoctl decode` on a capture.  Each TCP connection to or
 * from port 179 has two directions; each direction is reassembled
 * (tcp_reasm.h) and split into messages (RFC 4271 s4.1).  Once both OPENs
 * of a connection are seen, each direction is decoded with what they
 * negotiated (RFC 6793 4-octet AS, RFC 7911 ADD-PATH, RFC 8654 message
 * size), seen from the receiver; until then the command-line defaults
 * apply.  After a capture gap or a bad header the reader skips to the next
 * marker.
 *
 * Not for: frame parsing (pcap_src.c), reassembly (tcp_reasm.c).
 */
#include "ctl/decode.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/pcap_src.h"
#include "ctl/tcp_reasm.h"

#define REASM_MAX (4u * BGP_EXT_MAX_LEN) /* bytes held per direction */

struct dir {
	struct tcp_endpoint src; /* sender of this direction */
	struct tcp_reasm rs;
	bool resync;   /* skipping to the next marker */
	uint64_t lost; /* bytes missing, as reported */
	bool have_open;
	struct bgp_caps caps; /* of the sender's OPEN */
	uint32_t asn;
	struct bgp_sess_params params; /* to decode what the sender sends */
	int64_t sec;		       /* time of the last segment */
	uint32_t usec;
};

struct conn {
	struct dir d[2];
};

struct conns {
	struct conn *v;
	size_t n, cap;
};

static void conn_reset_session(struct decode_run *run, struct conn *c)
{
	for (int i = 0; i < 2; i++) {
		c->d[i].have_open = false;
		c->d[i].params = run->params;
	}
}

static struct conn *conn_find(struct decode_run *run, struct conns *cs, const struct tcp_seg *seg,
			      int *dir)
{
	struct conn *c;

	for (size_t i = 0; i < cs->n; i++) {
		c = &cs->v[i];
		for (int k = 0; k < 2; k++)
			if (tcp_endpoint_equal(&c->d[k].src, &seg->src) &&
			    tcp_endpoint_equal(&c->d[1 - k].src, &seg->dst)) {
				*dir = k;
				return c;
			}
	}
	if (cs->n == cs->cap) {
		size_t ncap = cs->cap ? 2 * cs->cap : 8;
		struct conn *nv = realloc(cs->v, ncap * sizeof(*nv));

		if (nv == NULL)
			return NULL;
		cs->v = nv;
		cs->cap = ncap;
	}
	c = &cs->v[cs->n++];
	memset(c, 0, sizeof(*c));
	c->d[0].src = seg->src;
	c->d[1].src = seg->dst;
	for (int k = 0; k < 2; k++)
		tcp_reasm_init(&c->d[k].rs, REASM_MAX);
	conn_reset_session(run, c);
	*dir = 0;
	return c;
}

/* Both OPENs seen: decode each direction as its receiver would (the
 * receiver is "local" in bgp_caps_negotiate). */
static void conn_learn_open(struct conn *c, int dir, const uint8_t *msg, size_t len)
{
	struct dir *d = &c->d[dir];
	bool ibgp;

	if (!decode_open_caps(msg, len, &d->caps, &d->asn))
		return;
	d->have_open = true;
	if (!c->d[1 - dir].have_open)
		return;
	ibgp = c->d[0].asn == c->d[1].asn;
	for (int k = 0; k < 2; k++)
		bgp_caps_negotiate(&c->d[1 - k].caps, &c->d[k].caps, ibgp, &c->d[k].params);
}

static struct json_object *msg_head(const struct conn *c, int dir)
{
	const struct dir *d = &c->d[dir];
	struct json_object *o = json_object_new_object();
	char buf[TCP_ENDPOINT_STRLEN], ts[40];

	snprintf(ts, sizeof(ts), "%lld.%06u", (long long)d->sec, d->usec);
	json_object_object_add(o, "time",
			       json_object_new_double_s((double)d->sec + d->usec / 1e6, ts));
	json_object_object_add(o, "src",
			       json_object_new_string(tcp_endpoint_fmt(&d->src, buf, sizeof(buf))));
	json_object_object_add(
	    o, "dst",
	    json_object_new_string(tcp_endpoint_fmt(&c->d[1 - dir].src, buf, sizeof(buf))));
	return o;
}

/* Advance r to the next 16 x 0xff; false (r left at the last 15 bytes,
 * which may begin a marker) when there is none yet. */
static bool find_marker(struct rbuf *r)
{
	static const uint8_t marker[BGP_MARKER_LEN] = {
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	uint8_t m[BGP_MARKER_LEN];

	while (rbuf_left(r) >= BGP_MARKER_LEN) {
		struct rbuf peek = *r;

		if (rbuf_bytes(&peek, m, sizeof(m)) && memcmp(m, marker, sizeof(m)) == 0)
			return true;
		if (!rbuf_skip(r, 1))
			break;
	}
	return false;
}

/* A bad header: print it (its verdict says what is wrong), then resync. */
static void bad_header(struct decode_run *run, struct conn *c, int dir, struct rbuf *r)
{
	struct dir *d = &c->d[dir];
	size_t n = rbuf_left(r) < BGP_HDR_LEN ? rbuf_left(r) : BGP_HDR_LEN;

	if (!d->resync)
		decode_emit(run, msg_head(c, dir), rbuf_ptr(r), n, &d->params);
	d->resync = true;
	if (!rbuf_skip(r, 1)) /* cannot happen: the header had bytes */
		return;
}

/* Print every whole message the direction has, then drop them. */
static void dir_drain(struct decode_run *run, struct conn *c, int dir)
{
	struct dir *d = &c->d[dir];
	struct rbuf r, stream, whole, body;
	struct bgp_verdict v;
	const uint8_t *data;
	size_t len, start;
	uint8_t type;
	int rc;

	data = tcp_reasm_data(&d->rs, &len);
	rbuf_init(&r, data, len);
	for (;;) {
		bool found;

		start = rbuf_off(&r);
		found = !d->resync || find_marker(&r);
		if (rbuf_off(&r) > start)
			decode_warn(run, false, "%zu bytes skipped looking for a BGP marker",
				    rbuf_off(&r) - start);
		if (!found)
			break;
		stream = r;
		bgp_verdict_init(&v);
		rc = bgp_hdr_split(&stream, d->params.ext_msg ? BGP_EXT_MAX_LEN : BGP_MAX_LEN,
				   &type, &whole, &body, &v);
		if (rc == 0)
			break;
		if (rc < 0) {
			bad_header(run, c, dir, &r);
			continue;
		}
		d->resync = false;
		decode_emit(run, msg_head(c, dir), rbuf_ptr(&whole), rbuf_left(&whole), &d->params);
		if (type == BGP_MSG_OPEN)
			conn_learn_open(c, dir, rbuf_ptr(&whole), rbuf_left(&whole));
		r = stream;
	}
	tcp_reasm_consume(&d->rs, rbuf_off(&r));
}

static void dir_gaps(struct decode_run *run, struct conn *c, int dir)
{
	struct dir *d = &c->d[dir];
	char a[TCP_ENDPOINT_STRLEN], b[TCP_ENDPOINT_STRLEN];

	if (tcp_reasm_take_gaps(&d->rs) == 0)
		return;
	decode_warn(run, true, "%s -> %s: %llu bytes missing from the capture, messages lost",
		    tcp_endpoint_fmt(&d->src, a, sizeof(a)),
		    tcp_endpoint_fmt(&c->d[1 - dir].src, b, sizeof(b)),
		    (unsigned long long)(d->rs.lost - d->lost));
	d->lost = d->rs.lost;
	d->resync = true;
}

static void on_segment(struct decode_run *run, struct conns *cs, const struct tcp_seg *seg)
{
	struct conn *c;
	struct dir *d;
	uint32_t seq = seg->seq;
	int dir;

	c = conn_find(run, cs, seg, &dir);
	if (c == NULL) {
		decode_warn(run, true, "out of memory");
		return;
	}
	d = &c->d[dir];
	d->sec = seg->sec;
	d->usec = seg->usec;
	if (seg->flags & TCP_FLAG_SYN) {
		bool again = d->rs.have_isn && d->rs.isn == seq;

		/* a new connection on the same addresses: a new session */
		if (!again && !(seg->flags & TCP_FLAG_ACK))
			conn_reset_session(run, c);
		tcp_reasm_syn(&d->rs, seq);
		d->resync = false;
		seq++; /* RFC 9293 s3.4: the SYN occupies one sequence number */
	}
	if (tcp_reasm_add(&d->rs, seq, rbuf_ptr(&seg->payload), rbuf_left(&seg->payload)) ==
	    TCP_REASM_NOMEM)
		decode_warn(run, true, "out of memory");
	dir_gaps(run, c, dir);
	dir_drain(run, c, dir);
}

/* End of capture: what is held after holes, then what is left over. */
static void conns_finish(struct decode_run *run, struct conns *cs)
{
	char a[TCP_ENDPOINT_STRLEN], b[TCP_ENDPOINT_STRLEN];
	size_t left;

	for (size_t i = 0; i < cs->n; i++) {
		struct conn *c = &cs->v[i];

		for (int k = 0; k < 2; k++) {
			while (tcp_reasm_flush(&c->d[k].rs)) {
				dir_gaps(run, c, k);
				dir_drain(run, c, k);
			}
			(void)tcp_reasm_data(&c->d[k].rs, &left);
			if (left > 0)
				decode_warn(run, false,
					    "%s -> %s: %zu bytes %s at the end of the "
					    "capture",
					    tcp_endpoint_fmt(&c->d[k].src, a, sizeof(a)),
					    tcp_endpoint_fmt(&c->d[1 - k].src, b, sizeof(b)), left,
					    c->d[k].resync ? "without a BGP marker"
							   : "of an incomplete message");
			tcp_reasm_free(&c->d[k].rs);
		}
	}
	free(cs->v);
}

void decode_pcap(struct decode_run *run, FILE *in)
{
	struct conns cs = {0};
	struct pcap_src *src;
	struct tcp_seg seg;
	char err[512];
	int rc;

	src = pcap_src_open(in, err, sizeof(err));
	if (src == NULL) {
		decode_warn(run, true, "%s", err);
		return;
	}
	while ((rc = pcap_src_next(src, &seg, err, sizeof(err))) == 1)
		on_segment(run, &cs, &seg);
	if (rc < 0)
		decode_warn(run, true, "%s", err);
	conns_finish(run, &cs);
	pcap_src_close(src);
}
