/*
 * roundtrip: the wire vectors through the codec itself.
 *
 * For every vector in the data directory: split the header, decode the body
 * with the per-type decoder and
 *   - "canonical": true  -> re-encode (bgp_open_encode, bgp_update_encode, ...)
 *                           and require the very same bytes, verdict OK;
 *   - malformed          -> require the verdict action (RFC 7606 s2) the
 *                           vector expects (and its error name, if given);
 *   - otherwise          -> require that it decodes with verdict OK.
 *
 * Usage: roundtrip DATA_DIR.  One line per failure and a summary; exit 1 on
 * any failure.
 *
 * Not for: the JSON rendering (check_decode.py compares that).
 */
#include <dirent.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hex.h"
#include "lib/rbuf.h"
#include "lib/wbuf.h"
#include "wire/bgp.h"
#include "wire/msg.h"
#include "wire/update.h"
#include "wire/verdict.h"

#define MSG_MAX (BGP_EXT_MAX_LEN + 1)

struct result {
	bool decoded; /* header and body decoders ran */
	struct bgp_verdict v;
	size_t out_len; /* re-encoded bytes (0 when not encoded) */
};

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *x;

	if (o == NULL || !json_object_object_get_ex(o, key, &x))
		return NULL;
	return json_object_get_string(x);
}

static struct json_object *jobj(struct json_object *o, const char *key)
{
	struct json_object *x;

	return o != NULL && json_object_object_get_ex(o, key, &x) ? x : NULL;
}

/* The vector's "params" as session parameters (defaults otherwise). */
static bool params_from(struct json_object *params, struct bgp_sess_params *p)
{
	struct json_object *x;

	bgp_sess_params_default(p);
	if (params == NULL)
		return true;
	if (json_object_object_get_ex(params, "as4", &x))
		p->as4 = json_object_get_boolean(x);
	if (json_object_object_get_ex(params, "ibgp", &x))
		p->ibgp = json_object_get_boolean(x);
	if (json_object_object_get_ex(params, "addpath", &x)) {
		for (size_t i = 0; i < json_object_array_length(x); i++) {
			const char *name = json_object_get_string(json_object_array_get_idx(x, i));
			enum bgp_fam f = bgp_fam_from_name(name);

			if (f == BGP_FAM_NONE)
				return false;
			p->addpath_rx |= bgp_fam_bit(f);
			p->addpath_tx |= bgp_fam_bit(f);
		}
	}
	return true;
}

/* Decode one body with its type's decoder and encode it again into w. */
static void codec_body(uint8_t type, struct rbuf *body, const struct bgp_sess_params *p,
		       struct wbuf *w, struct result *r)
{
	static struct bgp_update u; /* large: keep it off the stack */
	struct bgp_open o;
	struct bgp_notify n;
	struct bgp_refresh rr;

	r->decoded = true;
	switch (type) {
	case BGP_MSG_OPEN:
		if (bgp_open_decode(body, &o, &r->v))
			bgp_open_encode(w, &o);
		break;
	case BGP_MSG_UPDATE:
		memset(&u, 0, sizeof(u));
		if (bgp_update_decode(body, p, &u, &r->v))
			bgp_update_encode(w, &u);
		break;
	case BGP_MSG_NOTIFICATION:
		if (bgp_notify_decode(body, &n, &r->v))
			bgp_notify_encode(w, n.code, n.subcode, rbuf_ptr(&n.data),
					  rbuf_left(&n.data));
		break;
	case BGP_MSG_KEEPALIVE:
		if (bgp_keepalive_decode(body, &r->v))
			bgp_keepalive_encode(w);
		break;
	case BGP_MSG_ROUTE_REFRESH:
		if (bgp_refresh_decode(body, &rr, &r->v))
			bgp_refresh_encode(w, &rr);
		break;
	default:
		r->decoded = false;
	}
}

static void run_codec(const uint8_t *msg, size_t len, const struct bgp_sess_params *p, uint8_t *out,
		      struct result *r)
{
	struct rbuf stream, whole, body;
	struct wbuf w;
	uint8_t type;

	memset(r, 0, sizeof(*r));
	bgp_verdict_init(&r->v);
	rbuf_init(&stream, msg, len);
	wbuf_init(&w, out, MSG_MAX);
	if (bgp_hdr_split(&stream, p->ext_msg ? BGP_EXT_MAX_LEN : BGP_MAX_LEN, &type, &whole, &body,
			  &r->v) != 1)
		return;
	codec_body(type, &body, p, &w, r);
	r->out_len = wbuf_ok(&w) ? wbuf_len(&w) : 0;
}

/* Check one vector; prints and returns false on failure. */
static bool check_vector(const char *name, struct json_object *vec)
{
	static uint8_t msg[MSG_MAX], out[MSG_MAX];
	struct json_object *verdict = jobj(jobj(vec, "expect"), "verdict");
	const char *hex = jstr(vec, "hex"), *want_err = jstr(verdict, "error");
	const char *want_act = jstr(verdict, "action");
	bool canonical = json_object_get_boolean(jobj(vec, "canonical"));
	const char *act, *err;
	struct bgp_sess_params p;
	struct result r;
	long n;

	if (hex == NULL || (n = hex_decode(hex, msg, sizeof(msg))) < 0 ||
	    !params_from(jobj(vec, "params"), &p)) {
		printf("FAIL %s: unreadable vector\n", name);
		return false;
	}
	run_codec(msg, (size_t)n, &p, out, &r);
	act = bgp_action_name(r.v.action);
	err = r.v.err != BGP_E_NONE ? bgp_err_desc(r.v.err)->name : "none";
	if (verdict != NULL) {
		if (want_act == NULL || strcmp(want_act, act) != 0 ||
		    (want_err != NULL && strcmp(want_err, err) != 0)) {
			printf("FAIL %s: verdict %s/%s, expected %s/%s\n", name, act, err,
			       want_act ? want_act : "-", want_err ? want_err : "-");
			return false;
		}
		return true;
	}
	if (r.v.action != BGP_ACT_OK || !r.decoded) {
		printf("FAIL %s: verdict %s/%s on a well-formed message\n", name, act, err);
		return false;
	}
	if (canonical && (r.out_len != (size_t)n || memcmp(out, msg, (size_t)n) != 0)) {
		char *a = malloc(2 * (size_t)n + 1), *b = malloc(2 * r.out_len + 1);

		if (a != NULL && b != NULL)
			printf("FAIL %s: re-encoded bytes differ\n  in  %s\n  out %s\n", name,
			       hex_encode(msg, (size_t)n, a), hex_encode(out, r.out_len, b));
		free(a);
		free(b);
		return false;
	}
	return true;
}

static int is_json(const struct dirent *d)
{
	size_t l = strlen(d->d_name);

	return l > 5 && strcmp(d->d_name + l - 5, ".json") == 0;
}

int main(int argc, char **argv)
{
	struct dirent **ents;
	int n, fails = 0, canon = 0, bad = 0;
	char path[4096];

	if (argc != 2) {
		fprintf(stderr, "usage: %s DATA_DIR\n", argv[0]);
		return 2;
	}
	n = scandir(argv[1], &ents, is_json, alphasort);
	if (n <= 0) {
		fprintf(stderr, "%s: no vectors in %s\n", argv[0], argv[1]);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		struct json_object *vec;

		snprintf(path, sizeof(path), "%s/%s", argv[1], ents[i]->d_name);
		vec = json_object_from_file(path);
		if (vec == NULL) {
			printf("FAIL %s: not JSON\n", ents[i]->d_name);
			fails++;
		} else {
			canon += json_object_get_boolean(jobj(vec, "canonical"));
			bad += jobj(jobj(vec, "expect"), "verdict") != NULL;
			fails += !check_vector(ents[i]->d_name, vec);
			json_object_put(vec);
		}
		free(ents[i]);
	}
	free(ents);
	printf("roundtrip: %d vectors (%d canonical, %d malformed), %d failed\n", n, canon, bad,
	       fails);
	return fails ? 1 : 0;
}
