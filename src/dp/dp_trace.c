/*
 * dp_trace: the filter, the ring of traced packets and their JSON (see
 * dp_trace.h).  The filter is text from the operator (`vtopo-dp trace on
 * ...`): every word is checked, and a bad one is named in the error.
 *
 * Not for: where the steps are recorded (dp_fwd.c).
 */
#include "dp/dp_trace.h"

#include <json-c/json.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	uint8_t proto;
} protos[] = {{"icmp", IPPROTO_ICMP},
	      {"tcp", IPPROTO_TCP},
	      {"udp", IPPROTO_UDP},
	      {"ipv6-icmp", IPPROTO_ICMPV6}};

static const char *proto_parse(const char *s, uint8_t *p)
{
	char *end;
	long v;

	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (strcmp(s, protos[i].name) == 0) {
			*p = protos[i].proto;
			return NULL;
		}
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 1 || v > 255)
		return "proto: want icmp, tcp, udp, ipv6-icmp or 1..255";
	*p = (uint8_t)v;
	return NULL;
}

const char *dp_trace_parse(const char *text, struct dp_trace_filter *f)
{
	char buf[512], *save = NULL, *key, *val;
	static char err[160];

	memset(f, 0, sizeof(*f));
	if (strlen(text) >= sizeof(buf))
		return "filter too long";
	strcpy(buf, text);
	for (key = strtok_r(buf, " \t", &save); key; key = strtok_r(NULL, " \t", &save)) {
		if ((val = strtok_r(NULL, " \t", &save)) == NULL) {
			snprintf(err, sizeof(err), "%.40s: value missing", key);
			return err;
		}
		if (strcmp(key, "vrf") == 0 && f->vrf[0] == '\0') {
			if (strlen(val) >= sizeof(f->vrf))
				return "vrf: name too long";
			strcpy(f->vrf, val);
		} else if ((strcmp(key, "src") == 0 && !f->has_src) ||
			   (strcmp(key, "dst") == 0 && !f->has_dst)) {
			bool src = key[0] == 's';
			if (prefix_parse(val, src ? &f->src : &f->dst) != 0) {
				snprintf(err, sizeof(err), "%s: bad prefix %.60s", key, val);
				return err;
			}
			*(src ? &f->has_src : &f->has_dst) = true;
		} else if (strcmp(key, "proto") == 0 && f->proto == 0) {
			const char *e = proto_parse(val, &f->proto);
			if (e)
				return e;
		} else {
			snprintf(err, sizeof(err),
				 "%.40s: unknown or repeated (vrf, src, dst, proto, each once)",
				 key);
			return err;
		}
	}
	return NULL;
}

void dp_trace_filter_fmt(const struct dp_trace_filter *f, char *buf, size_t len)
{
	char p[PREFIX_STRLEN];
	size_t n = 0;

	buf[0] = '\0';
	if (f->vrf[0])
		n += (size_t)snprintf(buf + n, len - n, " vrf %s", f->vrf);
	if (f->has_src && n < len)
		n += (size_t)snprintf(buf + n, len - n, " src %s",
				      prefix_fmt(&f->src, p, sizeof(p)));
	if (f->has_dst && n < len)
		n += (size_t)snprintf(buf + n, len - n, " dst %s",
				      prefix_fmt(&f->dst, p, sizeof(p)));
	if (f->proto && n < len)
		n += (size_t)snprintf(buf + n, len - n, " proto %u", f->proto);
	if (n == 0)
		snprintf(buf, len, "any");
	else
		memmove(buf, buf + 1, strlen(buf)); /* the leading space */
}

int dp_trace_on(struct dp_trace *t, const struct dp_trace_filter *f)
{
	if (t->ring == NULL && (t->ring = calloc(DP_TRACE_PKTS, sizeof(*t->ring))) == NULL)
		return -1;
	t->f = *f;
	t->n = 0;
	t->cur = NULL;
	t->on = true;
	return 0;
}

void dp_trace_off(struct dp_trace *t)
{
	t->on = false;
	t->cur = NULL;
}

void dp_trace_free(struct dp_trace *t)
{
	free(t->ring);
	memset(t, 0, sizeof(*t));
}

static bool in_prefix(const struct prefix *p, uint8_t afi, const uint8_t *a)
{
	struct ipaddr x = {.afi = afi};

	if (p->afi != afi)
		return false;
	memcpy(x.b, a, afi_addr_bytes(afi));
	return prefix_contains_addr(p, &x);
}

bool dp_trace_match(const struct dp_trace_filter *f, fib_vrf_id vrf, const char *vrf_name,
		    uint8_t afi, const uint8_t *src, const uint8_t *dst, uint8_t proto)
{
	if (f->vrf[0]) {
		char id[16];
		snprintf(id, sizeof(id), "%u", (unsigned)vrf);
		if (strcmp(f->vrf, id) != 0 && (vrf_name == NULL || strcmp(f->vrf, vrf_name) != 0))
			return false;
	}
	if (f->has_src && !in_prefix(&f->src, afi, src))
		return false;
	if (f->has_dst && !in_prefix(&f->dst, afi, dst))
		return false;
	return f->proto == 0 || f->proto == proto;
}

void dp_trace_begin(struct dp_trace *t)
{
	if (!t->on || t->ring == NULL)
		return;
	t->cur = &t->ring[t->n % DP_TRACE_PKTS];
	t->cur->seq = ++t->n;
	t->cur->n_steps = 0;
	t->cur->truncated = false;
}

void dp_trace_step(struct dp_trace *t, const char *fmt, ...)
{
	struct dp_trace_pkt *p = t->cur;
	va_list ap;

	if (p == NULL)
		return;
	if (p->n_steps == DP_TRACE_STEPS) {
		p->truncated = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(p->step[p->n_steps++], DP_TRACE_STEP_LEN, fmt, ap);
	va_end(ap);
}

void dp_trace_end(struct dp_trace *t)
{
	t->cur = NULL;
}

static char *trace_json_from(const struct dp_trace *t, uint64_t first)
{
	struct json_object *o = json_object_new_object(), *pkts = json_object_new_array();
	char filt[256], *out;

	dp_trace_filter_fmt(&t->f, filt, sizeof(filt));
	json_object_object_add(o, "on", json_object_new_boolean(t->on));
	json_object_object_add(o, "filter", json_object_new_string(filt));
	json_object_object_add(o, "traced", json_object_new_int64((int64_t)t->n));
	for (uint64_t i = first; t->ring && i < t->n; i++) {
		const struct dp_trace_pkt *p = &t->ring[i % DP_TRACE_PKTS];
		struct json_object *e = json_object_new_object(), *s = json_object_new_array();
		json_object_object_add(e, "seq", json_object_new_int64((int64_t)p->seq));
		for (unsigned j = 0; j < p->n_steps; j++)
			json_object_array_add(s, json_object_new_string(p->step[j]));
		json_object_object_add(e, "steps", s);
		if (p->truncated)
			json_object_object_add(e, "truncated", json_object_new_boolean(true));
		json_object_array_add(pkts, e);
	}
	json_object_object_add(o, "packets", pkts);
	out = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							   JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return out;
}

char *dp_trace_json(const struct dp_trace *t, size_t max)
{
	uint64_t first = t->n > DP_TRACE_PKTS ? t->n - DP_TRACE_PKTS : 0;
	char *out;

	for (;;) {
		if ((out = trace_json_from(t, first)) == NULL || strlen(out) < max || first >= t->n)
			return out;
		free(out);
		first++;
	}
}
