/*
 * ctl_cmd: one control request in, one response line out
 * (docs/ctl-json.md): parse the request, find its row in the command table,
 * validate the arguments (families, addresses, NLRI keys) and call the
 * handler vtopod wired in.
 *
 * Not for: sockets (ctl_server.c), the data behind an answer (handlers).
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ecomm.h"
#include "lib/rd.h"
#include "lib/wbuf.h"
#include "vtopod/ctl_server.h"
#include "wire/flowspec.h"
#include "wire/nlri.h"

#define ARGS_MAX 16  /* words after the command; more is an error */
#define QUOTE_MAX 64 /* user text quoted back in an error */

struct ctl_req {
	const char *cmd;
	const char *args[ARGS_MAX];
	int nargs;
};

struct ctl_cmd {
	const char *cmd; /* "show", "help" */
	const char *sub; /* the first argument that selects the row, or NULL */
	int min_args;	 /* arguments after cmd and sub */
	int max_args;
	const char *usage;
	const char *summary;
	struct json_object *(*run)(const struct ctl_handlers *h, const char *const *args, int n,
				   char *err);
};

static struct json_object *run_neighbors(const struct ctl_handlers *h, const char *const *args,
					 int n, char *err);
static struct json_object *run_rib(const struct ctl_handlers *h, const char *const *args, int n,
				   char *err);
static struct json_object *run_rtc(const struct ctl_handlers *h, const char *const *args, int n,
				   char *err);
static struct json_object *run_memory(const struct ctl_handlers *h, const char *const *args, int n,
				      char *err);
static struct json_object *run_help(const struct ctl_handlers *h, const char *const *args, int n,
				    char *err);
static struct json_object *run_reload(const struct ctl_handlers *h, const char *const *args, int n,
				      char *err);

static struct json_object *run_svc(const struct ctl_handlers *h, const char *const *args, int n,
				   char *err);
static struct json_object *run_attachments(const struct ctl_handlers *h, const char *const *args,
					   int n, char *err);
static struct json_object *run_attach_add(const struct ctl_handlers *h, const char *const *args,
					  int n, char *err);
static struct json_object *run_attach_del(const struct ctl_handlers *h, const char *const *args,
					  int n, char *err);

static const struct ctl_cmd ctl_cmds[] = {
    {"show", "neighbors", 0, 1, "show neighbors [ADDRESS]",
     "BGP neighbors: state, capabilities, counters", run_neighbors},
    {"show", "rib", 1, 2, "show rib FAMILY [PREFIX]",
     "routes of one family with all their paths and why the best won", run_rib},
    {"show", "rt-constraint", 0, 0, "show rt-constraint",
     "RT-Constraint membership, local and per neighbor", run_rtc},
    {"show", "memory", 0, 0, "show memory", "memory used, per object type", run_memory},
    {"show", "fib", 0, 1, "show fib [VRF]",
     "per VRF, each prefix with its resolved next hop and service topology", run_svc},
    {"show", "labels", 0, 0, "show labels", "local MPLS labels and what they do", run_svc},
    {"show", "service-topology", 0, 1, "show service-topology [NAME]",
     "each hop of a service topology with its VRF, next hop and state", run_svc},
    {"show", "attachments", 0, 0, "show attachments",
     "VM and CE interfaces: VRF, addresses, labels, configured or added at run time",
     run_attachments},
    {"attach", "add", 1, 2 + 2 + 2 * CTL_ATTACH_ADDR_MAX + 2,
     "attach add NAME vrf VRF address A.B.C.D/32|X::/128 [address ...] [interface IFNAME]",
     "a VM or CE interface comes up: its host routes are exported (draft s2)", run_attach_add},
    {"attach", "del", 1, 1, "attach del NAME",
     "an attachment added at run time goes away: its host routes are withdrawn",
     run_attach_del},
    {"reload", NULL, 0, 0, "reload", "read the configuration file again and apply it", run_reload},
    {"help", NULL, 0, 0, "help", "the commands this daemon answers", run_help},
};

#define N_CMDS (sizeof(ctl_cmds) / sizeof(ctl_cmds[0]))

/* ---- NLRI keys: text -> canonical text (what bgp_nlri_fmt() prints) ---- */

static bool key_prefix(const char *s, uint8_t afi, struct prefix *p)
{
	return prefix_parse(s, p) == 0 && p->afi == afi;
}

/* "RD:PREFIX"; the RD holds one ':' itself, an IPv6 prefix several, so try
 * every split. */
static bool key_vpn(const char *s, uint8_t afi, struct bgp_nlri *n)
{
	char rd[RD_STRLEN];

	for (const char *c = strchr(s, ':'); c != NULL; c = strchr(c + 1, ':')) {
		size_t len = (size_t)(c - s);

		if (len >= sizeof(rd))
			break;
		memcpy(rd, s, len);
		rd[len] = '\0';
		if (rd_parse(rd, &n->rd) == 0 && key_prefix(c + 1, afi, &n->pfx))
			return true;
	}
	return false;
}

/* RFC 4684 s4: "default", "AS:RT" (96 bits) or "AS:RT/LEN" (32..96). */
static bool key_rtc(const char *s, struct bgp_nlri *n)
{
	char rt[ECOMM_STRLEN + 8];
	const char *slash;
	unsigned long as, len = 96;
	char *end;

	if (strcmp(s, "default") == 0) {
		n->rtc_len = 0;
		return true;
	}
	errno = 0;
	as = strtoul(s, &end, 10);
	if (end == s || *end != ':' || errno != 0 || as > UINT32_MAX || s[0] == '-')
		return false;
	s = end + 1;
	slash = strchr(s, '/');
	if (slash != NULL) {
		len = strtoul(slash + 1, &end, 10);
		if (end == slash + 1 || *end != '\0' || len < 32 || len > 96)
			return false;
	}
	if (strlen(s) >= sizeof(rt))
		return false;
	snprintf(rt, sizeof(rt), "%.*s", (int)(slash ? (size_t)(slash - s) : strlen(s)), s);
	if (ecomm_parse(rt, &n->rtc_rt) != 0)
		return false;
	/* bits past the length are not part of the key (RFC 4684 s4) */
	for (unsigned bit = (unsigned)len - 32; bit < 64; bit++)
		n->rtc_rt.b[bit / 8] &= (uint8_t) ~(0x80u >> (bit % 8));
	n->rtc_origin_as = (uint32_t)as;
	n->rtc_len = (uint8_t)len;
	return true;
}

static bool key_flow(const char *s, uint8_t afi, struct wbuf *w, struct bgp_nlri *n)
{
	char why[128];

	if (flowspec_parse(s, afi, w, why, sizeof(why)) != 0)
		return false;
	rbuf_init(&n->flow, w->buf, wbuf_len(w));
	return true;
}

/* "RD FLOWSPEC" (RFC 8955 s8) */
static bool key_vpnflow(const char *s, uint8_t afi, struct wbuf *w, struct bgp_nlri *n)
{
	const char *sp = strchr(s, ' ');
	char rd[RD_STRLEN];

	if (sp == NULL || (size_t)(sp - s) >= sizeof(rd))
		return false;
	memcpy(rd, s, (size_t)(sp - s));
	rd[sp - s] = '\0';
	return rd_parse(rd, &n->rd) == 0 && key_flow(sp + 1, afi, w, n);
}

/* Parse a key of family fam and print it back canonically into out
 * (BGP_NLRI_STRLEN bytes); false when the text is not a key of fam. */
static bool key_canon(enum bgp_fam fam, const char *s, char *out)
{
	const struct bgp_fam_desc *fd = &bgp_fam_table[fam];
	struct bgp_nlri n = {.fam = fam};
	uint8_t flow[4096];
	struct wbuf w;
	bool ok = false;

	wbuf_init(&w, flow, sizeof(flow));
	switch (fd->kind) {
	case BGP_NK_PREFIX:
	case BGP_NK_LABELED:
		ok = key_prefix(s, fd->addr_afi, &n.pfx);
		break;
	case BGP_NK_VPN:
		ok = key_vpn(s, fd->addr_afi, &n);
		break;
	case BGP_NK_RTC:
		ok = key_rtc(s, &n);
		break;
	case BGP_NK_FLOW:
		ok = key_flow(s, fd->addr_afi, &w, &n);
		break;
	case BGP_NK_VPNFLOW:
		ok = key_vpnflow(s, fd->addr_afi, &w, &n);
		break;
	}
	if (ok)
		bgp_nlri_fmt(&n, out, BGP_NLRI_STRLEN);
	return ok;
}

/* ---- commands ---- */

static struct json_object *not_available(const char *what, char *err)
{
	snprintf(err, CTL_ERR_MAX, "'show %s' is not available", what);
	return NULL;
}

static struct json_object *run_neighbors(const struct ctl_handlers *h, const char *const *args,
					 int n, char *err)
{
	struct ipaddr a;

	if (n == 1 && ipaddr_parse(args[0], &a) != 0) {
		snprintf(err, CTL_ERR_MAX, "bad address '%.*s'", QUOTE_MAX, args[0]);
		return NULL;
	}
	if (h->neighbors == NULL)
		return not_available("neighbors", err);
	return h->neighbors(h->ctx, n == 1 ? &a : NULL, err);
}

static struct json_object *run_rib(const struct ctl_handlers *h, const char *const *args, int n,
				   char *err)
{
	enum bgp_fam fam = bgp_fam_from_name(args[0]);
	char key[BGP_NLRI_STRLEN];

	if (fam == BGP_FAM_NONE) {
		snprintf(err, CTL_ERR_MAX, "unknown family '%.*s'", QUOTE_MAX, args[0]);
		return NULL;
	}
	if (n == 2 && !key_canon(fam, args[1], key)) {
		snprintf(err, CTL_ERR_MAX, "bad prefix '%.*s' for %s", QUOTE_MAX, args[1],
			 bgp_fam_table[fam].name);
		return NULL;
	}
	if (h->rib == NULL)
		return not_available("rib", err);
	return h->rib(h->ctx, fam, n == 2 ? key : NULL, err);
}

static struct json_object *run_rtc(const struct ctl_handlers *h, const char *const *args, int n,
				   char *err)
{
	(void)args;
	(void)n;
	if (h->rtc == NULL)
		return not_available("rt-constraint", err);
	return h->rtc(h->ctx, err);
}

static struct json_object *run_memory(const struct ctl_handlers *h, const char *const *args, int n,
				      char *err)
{
	(void)args;
	(void)n;
	if (h->memory == NULL)
		return not_available("memory", err);
	return h->memory(h->ctx, err);
}

/* args[-1] is the sub-command (the row's `sub`): the request's words */
static struct json_object *run_svc(const struct ctl_handlers *h, const char *const *args, int n,
				   char *err)
{
	if (h->svc == NULL)
		return not_available(args[-1], err);
	return h->svc(h->ctx, args[-1], n > 0 ? args[0] : NULL, err);
}

static struct json_object *run_attachments(const struct ctl_handlers *h, const char *const *args,
					   int n, char *err)
{
	(void)args;
	(void)n;
	if (h->attachments == NULL)
		return not_available("attachments", err);
	return h->attachments(h->ctx, err);
}

/* yang object-name / interface-name: [A-Za-z0-9][A-Za-z0-9_.-]*, first
 * character free for an interface */
static bool name_ok(const char *s, size_t max, bool any_first)
{
	size_t len = strlen(s);

	if (len == 0 || len > max)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			     (c >= '0' && c <= '9');

		if (!alnum && ((i == 0 && !any_first) || (c != '_' && c != '.' && c != '-')))
			return false;
	}
	return true;
}

/* A host address of a VM or CE: a bare address or a /32, /128 (draft s2:
 * the PE exports the VM's IP address, one host route each). */
static bool attach_addr(const char *s, struct ipaddr *a, char *err)
{
	struct prefix p;
	char buf[IPADDR_STRLEN];

	if (prefix_parse(s, &p) != 0) {
		snprintf(err, CTL_ERR_MAX, "bad address '%.*s'", QUOTE_MAX, s);
		return false;
	}
	if (p.len != afi_addr_bits(p.afi)) {
		snprintf(err, CTL_ERR_MAX, "address '%.*s' is not a host address (/%u)", QUOTE_MAX,
			 s, afi_addr_bits(p.afi));
		return false;
	}
	a->afi = p.afi;
	memcpy(a->b, p.b, sizeof(a->b));
	ipaddr_fmt(a, buf, sizeof(buf));
	if ((p.afi == AFI_IPV4 && (p.b[0] == 0 || p.b[0] >= 224 || p.b[0] == 127)) ||
	    (p.afi == AFI_IPV6 && (p.b[0] == 0xff || strcmp(buf, "::") == 0 ||
				   strcmp(buf, "::1") == 0))) {
		snprintf(err, CTL_ERR_MAX, "address '%.*s' cannot be a host's", QUOTE_MAX, s);
		return false;
	}
	return true;
}

int ctl_attach_parse(const char *const *args, int n, struct ctl_attach *a, char *err)
{
	bool vrf = false;

	memset(a, 0, sizeof(*a));
	if (n < 1 || !name_ok(args[0], CTL_NAME_MAX - 1, false)) {
		snprintf(err, CTL_ERR_MAX,
			 "bad attachment name '%.*s' (1 to 63 of A-Z a-z 0-9 _ . -, not "
			 "starting with _ . -)",
			 QUOTE_MAX, n < 1 ? "" : args[0]);
		return -1;
	}
	snprintf(a->name, sizeof(a->name), "%s", args[0]);
	for (int i = 1; i < n; i += 2) {
		const char *key = args[i], *val = i + 1 < n ? args[i + 1] : NULL;

		if (strcmp(key, "vrf") != 0 && strcmp(key, "address") != 0 &&
		    strcmp(key, "interface") != 0) {
			snprintf(err, CTL_ERR_MAX,
				 "unexpected '%.*s': expected vrf, address or interface", QUOTE_MAX,
				 key);
			return -1;
		}
		if (val == NULL) {
			snprintf(err, CTL_ERR_MAX, "'%s' needs a value", key);
			return -1;
		}
		if (strcmp(key, "vrf") == 0) {
			if (vrf) {
				snprintf(err, CTL_ERR_MAX, "'vrf' given twice");
				return -1;
			}
			if (!name_ok(val, CTL_IFNAME_MAX - 1, false)) {
				snprintf(err, CTL_ERR_MAX, "bad VRF name '%.*s'", QUOTE_MAX, val);
				return -1;
			}
			snprintf(a->vrf, sizeof(a->vrf), "%s", val);
			vrf = true;
		} else if (strcmp(key, "interface") == 0) {
			if (a->ifname[0] != '\0') {
				snprintf(err, CTL_ERR_MAX, "'interface' given twice");
				return -1;
			}
			if (!name_ok(val, CTL_IFNAME_MAX - 1, true)) {
				snprintf(err, CTL_ERR_MAX,
					 "bad interface name '%.*s' (1 to 15 of A-Z a-z 0-9 _ . -)",
					 QUOTE_MAX, val);
				return -1;
			}
			snprintf(a->ifname, sizeof(a->ifname), "%s", val);
		} else {
			struct ipaddr ip;

			if (!attach_addr(val, &ip, err))
				return -1;
			for (size_t j = 0; j < a->n_addr; j++)
				if (ipaddr_cmp(&a->addr[j], &ip) == 0) {
					snprintf(err, CTL_ERR_MAX, "address '%.*s' given twice",
						 QUOTE_MAX, val);
					return -1;
				}
			if (a->n_addr == CTL_ATTACH_ADDR_MAX) {
				snprintf(err, CTL_ERR_MAX, "more than %d addresses",
					 CTL_ATTACH_ADDR_MAX);
				return -1;
			}
			a->addr[a->n_addr++] = ip;
		}
	}
	if (!vrf) {
		snprintf(err, CTL_ERR_MAX, "missing 'vrf VRF'");
		return -1;
	}
	if (a->n_addr == 0) {
		snprintf(err, CTL_ERR_MAX, "missing 'address ADDRESS'");
		return -1;
	}
	if (a->ifname[0] == '\0') {
		/* the interface is called after the attachment */
		if (strlen(a->name) >= CTL_IFNAME_MAX) {
			snprintf(err, CTL_ERR_MAX,
				 "name '%s' is too long for an interface name: give 'interface "
				 "IFNAME'",
				 a->name);
			return -1;
		}
		memcpy(a->ifname, a->name, strlen(a->name) + 1);
	}
	return 0;
}

static struct json_object *run_attach_add(const struct ctl_handlers *h, const char *const *args,
					  int n, char *err)
{
	struct ctl_attach a;

	if (ctl_attach_parse(args, n, &a, err) != 0)
		return NULL;
	if (h->attach_add == NULL) {
		snprintf(err, CTL_ERR_MAX, "'attach' is not available");
		return NULL;
	}
	return h->attach_add(h->ctx, &a, err);
}

static struct json_object *run_attach_del(const struct ctl_handlers *h, const char *const *args,
					  int n, char *err)
{
	(void)n;
	if (!name_ok(args[0], CTL_NAME_MAX - 1, false)) {
		snprintf(err, CTL_ERR_MAX, "bad attachment name '%.*s'", QUOTE_MAX, args[0]);
		return NULL;
	}
	if (h->attach_del == NULL) {
		snprintf(err, CTL_ERR_MAX, "'attach' is not available");
		return NULL;
	}
	return h->attach_del(h->ctx, args[0], err);
}

static struct json_object *run_reload(const struct ctl_handlers *h, const char *const *args, int n,
				      char *err)
{
	(void)args;
	(void)n;
	if (h->reload == NULL)
		return not_available("reload", err);
	return h->reload(h->ctx, err);
}

/* {"commands": [{"usage", "summary"}...]} */
static struct json_object *run_help(const struct ctl_handlers *h, const char *const *args, int n,
				    char *err)
{
	struct json_object *data = json_object_new_object(), *cmds = json_object_new_array();

	(void)h;
	(void)args;
	(void)n;
	(void)err;
	for (size_t i = 0; i < N_CMDS; i++) {
		struct json_object *c = json_object_new_object();

		json_object_object_add(c, "usage", json_object_new_string(ctl_cmds[i].usage));
		json_object_object_add(c, "summary", json_object_new_string(ctl_cmds[i].summary));
		json_object_array_add(cmds, c);
	}
	json_object_object_add(data, "commands", cmds);
	return data;
}

/* ---- requests ---- */

/* {"command": STRING, "args": [STRING...]} (args optional); the parsed
 * object must outlive req (it points into it). */
static bool req_parse(struct json_object *o, struct ctl_req *req, char *err)
{
	struct json_object *cmd, *args;

	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, CTL_ERR_MAX, "invalid request: not a JSON object");
		return false;
	}
	if (!json_object_object_get_ex(o, "command", &cmd) ||
	    !json_object_is_type(cmd, json_type_string)) {
		snprintf(err, CTL_ERR_MAX, "invalid request: no 'command' string");
		return false;
	}
	req->cmd = json_object_get_string(cmd);
	req->nargs = 0;
	if (!json_object_object_get_ex(o, "args", &args))
		return true;
	if (!json_object_is_type(args, json_type_array)) {
		snprintf(err, CTL_ERR_MAX, "invalid request: 'args' is not an array");
		return false;
	}
	if (json_object_array_length(args) > ARGS_MAX) {
		snprintf(err, CTL_ERR_MAX, "too many arguments (over %d)", ARGS_MAX);
		return false;
	}
	for (size_t i = 0; i < json_object_array_length(args); i++) {
		struct json_object *a = json_object_array_get_idx(args, i);

		if (!json_object_is_type(a, json_type_string)) {
			snprintf(err, CTL_ERR_MAX, "invalid request: argument %zu is not a string",
				 i + 1);
			return false;
		}
		req->args[req->nargs++] = json_object_get_string(a);
	}
	return true;
}

static const struct ctl_cmd *cmd_find(const struct ctl_req *req, char *err)
{
	bool known = false;

	for (size_t i = 0; i < N_CMDS; i++) {
		const struct ctl_cmd *c = &ctl_cmds[i];

		if (strcmp(c->cmd, req->cmd) != 0)
			continue;
		known = true;
		if (c->sub == NULL || (req->nargs > 0 && strcmp(c->sub, req->args[0]) == 0))
			return c;
	}
	if (!known)
		snprintf(err, CTL_ERR_MAX, "unknown command '%.*s'", QUOTE_MAX, req->cmd);
	else if (req->nargs == 0 && strcmp(req->cmd, "attach") == 0)
		snprintf(err, CTL_ERR_MAX, "'attach' needs add or del");
	else if (req->nargs == 0)
		snprintf(err, CTL_ERR_MAX,
			 "'%s' needs one of neighbors, rib, rt-constraint, memory, fib, labels, "
			 "service-topology, attachments",
			 req->cmd);
	else
		snprintf(err, CTL_ERR_MAX, "unknown command '%s %.*s'", req->cmd, QUOTE_MAX,
			 req->args[0]);
	return NULL;
}

static struct json_object *dispatch(const struct ctl_handlers *h, const struct ctl_req *req,
				    char *err)
{
	const struct ctl_cmd *c = cmd_find(req, err);
	const char *const *args;
	int n;

	if (c == NULL)
		return NULL;
	args = req->args + (c->sub != NULL);
	n = req->nargs - (c->sub != NULL);
	if (n < c->min_args) {
		snprintf(err, CTL_ERR_MAX, "missing argument; usage: %s", c->usage);
		return NULL;
	}
	if (n > c->max_args) {
		snprintf(err, CTL_ERR_MAX, "unexpected argument '%.*s'; usage: %s", QUOTE_MAX,
			 args[c->max_args], c->usage);
		return NULL;
	}
	return c->run(h, args, n, err);
}

static char *response(struct json_object *data, const char *err)
{
	struct json_object *o = json_object_new_object();
	const char *s;
	char *line = NULL;

	if (o == NULL)
		goto out;
	json_object_object_add(o, "ok", json_object_new_boolean(data != NULL));
	if (data != NULL)
		json_object_object_add(o, "data", data);
	else
		json_object_object_add(o, "error", json_object_new_string(err));
	data = NULL;
	s = json_object_to_json_string_ext(o,
					   JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s != NULL && asprintf(&line, "%s\n", s) < 0)
		line = NULL;
out:
	json_object_put(data);
	json_object_put(o);
	return line;
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

char *ctl_request_handle(const struct ctl_handlers *h, const char *text, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o = NULL, *data = NULL;
	char err[CTL_ERR_MAX] = "";
	struct ctl_req req;
	char *line;

	if (tok == NULL)
		return NULL;
	if (len > 0 && memchr(text, '\0', len) == NULL && len <= (size_t)INT32_MAX)
		o = json_tokener_parse_ex(tok, text, (int)len);
	/* the whole line must be one value: nothing pending, nothing after */
	if (o == NULL || json_tokener_get_error(tok) != json_tokener_success ||
	    !blank(text + json_tokener_get_parse_end(tok), len - json_tokener_get_parse_end(tok)))
		snprintf(err, sizeof(err), "invalid request: not one JSON value");
	else if (req_parse(o, &req, err))
		data = dispatch(h, &req, err);
	if (data == NULL && err[0] == '\0')
		snprintf(err, sizeof(err), "internal error");
	line = response(data, err);
	json_object_put(o);
	json_tokener_free(tok);
	return line;
}
