/*
 * session_show: the "show neighbors" model of docs/ctl-json.md, one JSON
 * object rendered as text or JSON by vtopoctl.
 *
 * Not for: the control socket itself, RIB contents (rde_show_*).
 */
#include <json-c/json.h>
#include <string.h>

#include "vtopod/vtopod.h"

static void add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void add_int(struct json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void add_bool(struct json_object *o, const char *k, bool v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

static struct json_object *fam_array(uint32_t set)
{
	struct json_object *a = json_object_new_array();

	for (int f = 0; f < BGP_FAM_COUNT; f++)
		if (set & bgp_fam_bit(f))
			json_object_array_add(a, json_object_new_string(bgp_fam_table[f].name));
	return a;
}

static struct json_object *msg_counts(const uint64_t *c)
{
	static const char *const names[] = {NULL,	    "open",	 "update",
					    "notification", "keepalive", "route_refresh"};
	struct json_object *o = json_object_new_object();
	uint64_t total = 0;

	for (int t = BGP_MSG_OPEN; t <= BGP_MSG_ROUTE_REFRESH; t++) {
		add_int(o, names[t], (int64_t)c[t]);
		total += c[t];
	}
	add_int(o, "total", (int64_t)total);
	return o;
}

static void add_transport(struct json_object *o, const struct conn *c)
{
	char buf[IPADDR_STRLEN];

	if (!c || c->connecting)
		return;
	add_str(o, "local_address", ipaddr_fmt(&c->local, buf, sizeof(buf)));
	add_int(o, "local_port", c->lport);
	add_int(o, "remote_port", c->rport);
}

static void add_negotiated(struct json_object *o, const struct peer *p)
{
	const struct sess_negotiated *n = &p->neg;
	struct json_object *caps = json_object_new_object();
	char buf[IPADDR_STRLEN];
	struct ipaddr rid;

	ipaddr_from_v4(&rid, n->remote_id);
	add_str(o, "remote_id", ipaddr_fmt(&rid, buf, sizeof(buf)));
	add_int(o, "hold_time", n->hold_time);
	add_int(o, "keepalive", n->keepalive);
	json_object_object_add(o, "families", fam_array(n->params.fams));
	add_bool(caps, "as4", n->params.as4);
	add_bool(caps, "route_refresh", n->route_refresh);
	add_bool(caps, "enhanced_route_refresh", n->enhanced_rr);
	add_bool(caps, "extended_message", n->params.ext_msg);
	add_bool(caps, "graceful_restart", n->gr);
	json_object_object_add(caps, "add_path_receive", fam_array(n->params.addpath_rx));
	json_object_object_add(caps, "add_path_send", fam_array(n->params.addpath_tx));
	json_object_object_add(o, "capabilities", caps);
}

static void add_last_error(struct json_object *o, const struct peer *p)
{
	const struct sess_last_error *e = &p->last_error;
	struct json_object *le;
	const char *cn, *sn;

	if (e->dir == SESS_DIR_NONE)
		return;
	le = json_object_new_object();
	cn = bgp_notify_code_name(e->code);
	sn = bgp_notify_subcode_name(e->code, e->subcode);
	add_str(le, "direction", e->dir == SESS_DIR_SENT ? "sent" : "received");
	add_int(le, "code", e->code);
	add_int(le, "subcode", e->subcode);
	add_str(le, "code_name", cn ? cn : "unknown");
	add_str(le, "subcode_name", sn ? sn : "unknown");
	add_str(le, "reason", e->reason);
	json_object_object_add(o, "last_error", le);
}

/* The RDE's per-family counters become "prefixes" (docs/ctl-json.md). */
static void add_prefixes(struct json_object *o, const struct peer *p)
{
	struct json_object *r = rde_show_peer(p->d->rde, p->id);
	struct json_object *pref;

	if (!r)
		return;
	if (json_object_object_get_ex(r, "prefixes", &pref))
		json_object_object_add(o, "prefixes", json_object_get(pref));
	else
		json_object_object_add(o, "prefixes", json_object_get(r));
	json_object_put(r);
}

static struct json_object *neighbor(const struct peer *p)
{
	const struct config_neighbor *n = p->cfg;
	struct json_object *o = json_object_new_object();
	bool up = p->state >= FSM_OPENCONFIRM;

	add_str(o, "address", p->name);
	add_int(o, "remote_as", n->remote_as);
	add_int(o, "local_as", p->d->cfg->as);
	if (n->description)
		add_str(o, "description", n->description);
	add_str(o, "state", fsm_state_name(p->state));
	add_int(o, "uptime", (int64_t)((ev_now(p->d->loop) - p->state_since) / 1000));
	if (up) {
		add_negotiated(o, p);
	} else {
		add_int(o, "hold_time", n->hold_time);
		add_int(o, "keepalive", n->keepalive_interval);
		json_object_object_add(o, "families", fam_array(p->local_caps.mp));
	}
	if (p->state >= FSM_OPENSENT)
		add_transport(o, p->conn);
	add_bool(o, "passive", n->passive);
	add_bool(o, "rr_client", n->route_reflector_client);
	add_bool(o, "md5", n->auth_password != NULL);
	json_object_object_add(o, "messages", json_object_new_object());
	json_object_object_add(json_object_object_get(o, "messages"), "sent",
			       msg_counts(p->msgs_out));
	json_object_object_add(json_object_object_get(o, "messages"), "received",
			       msg_counts(p->msgs_in));
	add_last_error(o, p);
	add_prefixes(o, p);
	json_object_object_add(o, "graceful_restart", session_gr_show(p)); /* RFC 4724 */
	return o;
}

/*
 * docs/ctl-json.md "show neighbors [ADDRESS]": {"neighbors": [...]} in
 * address order (the configuration's order).  address_or_null selects one
 * neighbor; returns NULL when it is not a valid address or not configured
 * (the caller answers ok:false).  The caller owns the result.
 */
struct json_object *session_show_neighbors(struct vtopod *d, const char *address_or_null)
{
	struct json_object *top, *arr;
	struct ipaddr a;

	if (address_or_null && ipaddr_parse(address_or_null, &a) < 0)
		return NULL;
	if (address_or_null && !session_peer_by_addr(d, &a))
		return NULL;
	top = json_object_new_object();
	arr = json_object_new_array();
	for (size_t i = 0; i < d->n_peers; i++)
		if (!address_or_null || ipaddr_cmp(&d->peers[i]->cfg->address, &a) == 0)
			json_object_array_add(arr, neighbor(d->peers[i]));
	json_object_object_add(top, "neighbors", arr);
	return top;
}
