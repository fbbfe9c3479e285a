/*
 * session_msg: what a connection does with each message it reads.  Splits
 * the input buffer with bgp_hdr_split() (4096 octets, 65535 once extended
 * messages are negotiated, RFC 8654), turns every message into an FSM
 * event, hands UPDATE bodies to the RDE unparsed and acts on its verdict,
 * passes ROUTE-REFRESH to the RDE, logs received NOTIFICATIONs by name,
 * and finishes connection collision detection (RFC 4271 s6.8) when the
 * second connection's OPEN arrives.
 *
 * Message errors in Established are reported with the NOTIFICATION that
 * RFC 4271 s6 prescribes for the message (UpdateMsgErr with that code),
 * not with the FSM Error that the s8.2.2 "other events" sentence would give
 * for a header error.
 *
 * Not for: the sockets (session_io.c), the OPEN's contents (session_open.c).
 */
#include <stdio.h>
#include <string.h>

#include "vtopod/vtopod.h"

#define NOTIFY_DATA_MAX 256

/* The NOTIFICATION for a decoder verdict on a message, as an FSM event. */
static void verdict_error(struct peer *p, enum fsm_event ev, const struct bgp_verdict *v,
			  const struct rbuf *msg)
{
	uint8_t data[NOTIFY_DATA_MAX];
	size_t n = bgp_msg_notify_data(v, msg, data, sizeof(data));
	const struct bgp_err_desc *e = bgp_err_desc(v->err);

	/* RFC 4271 s6: in Established every message error ends the session
	 * with the error's own code (see the file header) */
	if (p->state == FSM_ESTABLISHED)
		ev = FSM_EV_UPDATE_MSG_ERR;
	peer_error(p, ev, v->code, v->subcode, data, n, e ? e->name : "malformed-message");
}

/* RFC 4271 s6.8 (fsm_collision_keep_new): does the second connection,
 * whose OPEN this is, stay?  The existing connection's state is not taken
 * through Idle: the losing connection is closed with Cease / Connection
 * Collision Resolution (RFC 4486 s4) and the session carries on from
 * OpenSent on the winner, which is where the winner is. */
static bool collision_keep_alt(struct peer *p, const struct bgp_open *o)
{
	if (!p->conn)
		return true;
	return fsm_collision_keep_new(p->d->cfg->router_id, o->bgp_id, p->conn->outbound,
				      p->alt->outbound);
}

static void alt_open(struct peer *p, struct conn *c, struct rbuf *msg, struct rbuf *body)
{
	struct bgp_open o;
	struct bgp_verdict v;

	bgp_verdict_init(&v);
	if (!bgp_open_decode(body, &o, &v)) {
		uint8_t data[NOTIFY_DATA_MAX];
		size_t n = bgp_msg_notify_data(&v, msg, data, sizeof(data));

		session_send_notify(p, c, v.code, v.subcode, data, n, "collision-open-malformed");
		conn_free(c);
		p->alt = NULL;
		p->conn_epoch++;
		return;
	}
	if (!collision_keep_alt(p, &o)) {
		log_peer_info(p, "collision: keeping the existing connection (RFC 4271 s6.8)");
		session_send_notify(p, c, BGP_ERR_CEASE, 7, NULL, 0,
				    "connection-collision-resolution");
		conn_free(c);
		p->alt = NULL;
		p->conn_epoch++;
		return;
	}
	log_peer_info(p, "collision: keeping the new connection (RFC 4271 s6.8)");
	if (p->conn && !p->conn->connecting)
		session_send_notify(p, p->conn, BGP_ERR_CEASE, 7, NULL, 0,
				    "connection-collision-resolution");
	conn_free(p->conn);
	p->conn = c;
	p->alt = NULL;
	p->conn_epoch++;
	p->state = FSM_OPENSENT;
	p->msgs_in[BGP_MSG_OPEN]++;
	{
		struct sess_negotiated neg;
		uint8_t data[NOTIFY_DATA_MAX], code, sub;
		size_t n;
		const char *reason;

		if (!session_open_check(p, &o, &neg, &code, &sub, data, &n, &reason)) {
			peer_error(p, FSM_EV_BGP_OPEN_MSG_ERR, code, sub, data, n, reason);
			return;
		}
		p->neg = neg;
		peer_event(p, FSM_EV_BGP_OPEN);
	}
}

static void handle_open(struct peer *p, struct rbuf *msg, struct rbuf *body)
{
	struct bgp_open o;
	struct bgp_verdict v;
	struct sess_negotiated neg;
	uint8_t data[NOTIFY_DATA_MAX], code, sub;
	size_t n;
	const char *reason;

	bgp_verdict_init(&v);
	if (!bgp_open_decode(body, &o, &v)) {
		verdict_error(
		    p, v.code == BGP_ERR_HEADER ? FSM_EV_BGP_HEADER_ERR : FSM_EV_BGP_OPEN_MSG_ERR,
		    &v, msg);
		return;
	}
	if (p->state != FSM_OPENSENT) {
		peer_event(p, FSM_EV_BGP_OPEN); /* the table says what that means here */
		return;
	}
	if (!session_open_check(p, &o, &neg, &code, &sub, data, &n, &reason)) {
		peer_error(p, FSM_EV_BGP_OPEN_MSG_ERR, code, sub, data, n, reason);
		return;
	}
	p->neg = neg;
	peer_event(p, FSM_EV_BGP_OPEN);
}

static void handle_update(struct peer *p, struct rbuf *msg, struct rbuf *body)
{
	struct bgp_verdict v;
	uint32_t dropped;

	if (p->state != FSM_ESTABLISHED) {
		peer_event(p, FSM_EV_UPDATE_MSG); /* FSM Error outside Established */
		return;
	}
	bgp_verdict_init(&v);
	rde_update(p->d->rde, p->id, body, &v);
	if (v.action == BGP_ACT_SESSION_RESET) {
		uint8_t data[NOTIFY_DATA_MAX];
		size_t n;
		const struct bgp_err_desc *e = bgp_err_desc(v.err);
		const char *reason = e && v.err != BGP_E_NONE ? e->name : "update-error";

		if (v.code == BGP_ERR_CEASE && v.subcode == 1) {
			/* RFC 4486 s4: max-prefix, data AFI/SAFI/limit */
			n = rde_cease_data(p->d->rde, p->id, &v, data, sizeof(data));
			reason = "max-prefix";
		} else {
			n = bgp_msg_notify_data(&v, msg, data, sizeof(data));
		}
		peer_error(p, FSM_EV_UPDATE_MSG_ERR, v.code, v.subcode, data, n, reason);
		return;
	}
	if (v.action != BGP_ACT_OK && log_rl_allow(&p->rl, ev_now(p->d->loop), &dropped)) {
		const struct bgp_err_desc *e = bgp_err_desc(v.err);

		log_peer_warnx(p, "UPDATE: %s (%s, %s)%s", bgp_action_name(v.action),
			       e ? e->name : "?", e ? e->ref : "?",
			       dropped ? " [earlier lines suppressed]" : "");
	}
	peer_event(p, FSM_EV_UPDATE_MSG);
}

static void handle_notification(struct peer *p, struct rbuf *body)
{
	struct bgp_notify nt;
	struct bgp_verdict v;
	const char *cn, *sn;
	char shut[256] = "";

	bgp_verdict_init(&v);
	if (!bgp_notify_decode(body, &nt, &v)) {
		log_peer_warnx(p, "received a malformed NOTIFICATION");
		peer_event(p, FSM_EV_NOTIF_MSG);
		return;
	}
	cn = bgp_notify_code_name(nt.code);
	sn = bgp_notify_subcode_name(nt.code, nt.subcode);
	if (nt.has_shutdown_msg) {
		size_t n = rbuf_left(&nt.shutdown_msg);

		if (n >= sizeof(shut))
			n = sizeof(shut) - 1;
		memcpy(shut, rbuf_ptr(&nt.shutdown_msg), n);
		shut[n] = '\0';
	}
	log_peer_warnx(p, "received NOTIFICATION %u/%u (%s/%s)%s%s%s", nt.code, nt.subcode,
		       cn ? cn : "unknown", sn ? sn : "unknown", shut[0] ? ": \"" : "", shut,
		       shut[0] ? "\"" : "");
	p->last_error = (struct sess_last_error){
	    .dir = SESS_DIR_RECEIVED, .code = nt.code, .subcode = nt.subcode};
	snprintf(p->last_error.reason, sizeof(p->last_error.reason), "%s", sn ? sn : "");
	/* RFC 4271 s6.8: the peer resolved a collision for the other
	 * connection, which we still track: carry on there */
	if (nt.code == BGP_ERR_CEASE && nt.subcode == 7 &&
	    session_alt_take_over(p, "the peer closed this connection (collision)"))
		return;
	/* RFC 4271 s8.1.5 Event 24: a NOTIFICATION with a version error */
	peer_event(p, nt.code == BGP_ERR_OPEN && nt.subcode == 1 ? FSM_EV_NOTIF_MSG_VER_ERR
								 : FSM_EV_NOTIF_MSG);
}

static void handle_refresh(struct peer *p, struct rbuf *msg, struct rbuf *body)
{
	struct bgp_refresh r;
	struct bgp_verdict v;
	enum bgp_fam fam;

	bgp_verdict_init(&v);
	if (!bgp_refresh_decode(body, &r, &v)) {
		verdict_error(p, FSM_EV_UPDATE_MSG_ERR, &v, msg); /* RFC 7313 s5: 7/1 */
		return;
	}
	fam = bgp_fam_from_afisafi(r.afi, r.safi);
	/* RFC 2918 s4: a family not negotiated is ignored; so is a
	 * ROUTE-REFRESH outside Established.  BoRR/EoRR (RFC 7313) are only
	 * sent with enhanced route refresh, which we do not announce. */
	if (p->state != FSM_ESTABLISHED || !p->neg.route_refresh || fam == BGP_FAM_NONE ||
	    !(p->neg.params.fams & bgp_fam_bit(fam)) || r.subtype != BGP_RR_NORMAL) {
		log_peer_debug(p, "ROUTE-REFRESH afi %u safi %u subtype %u ignored", r.afi, r.safi,
			       r.subtype);
		return;
	}
	rde_refresh(p->d->rde, p->id, fam);
}

static void handle(struct peer *p, struct conn *c, uint8_t type, struct rbuf *msg,
		   struct rbuf *body)
{
	struct bgp_verdict v;

	if (c == p->alt) {
		if (type == BGP_MSG_OPEN) {
			alt_open(p, c, msg, body);
			return;
		}
		/* RFC 6608 s3: anything but OPEN on a connection in OpenSent */
		session_send_notify(p, c, BGP_ERR_FSM, 1, NULL, 0, "collision-unexpected-message");
		conn_free(c);
		p->alt = NULL;
		p->conn_epoch++;
		return;
	}
	if (type <= BGP_MSG_ROUTE_REFRESH)
		p->msgs_in[type]++;
	switch (type) {
	case BGP_MSG_OPEN:
		handle_open(p, msg, body);
		break;
	case BGP_MSG_UPDATE:
		handle_update(p, msg, body);
		break;
	case BGP_MSG_NOTIFICATION:
		handle_notification(p, body);
		break;
	case BGP_MSG_KEEPALIVE:
		bgp_verdict_init(&v);
		if (!bgp_keepalive_decode(body, &v))
			verdict_error(p, FSM_EV_BGP_HEADER_ERR, &v, msg);
		else
			peer_event(p, FSM_EV_KEEPALIVE_MSG);
		break;
	case BGP_MSG_ROUTE_REFRESH:
		handle_refresh(p, msg, body);
		break;
	default:
		break; /* bgp_hdr_split() refuses unknown types */
	}
}

void session_input(struct peer *p, struct conn *c)
{
	/* Message handlers never open a connection, so a freed c cannot
	 * come back at the same address while this loop runs. */
	while (c->in_off < c->in_len) {
		struct rbuf stream, msg, body;
		struct bgp_verdict v;
		uint8_t type;
		size_t max = c == p->conn && p->state >= FSM_OPENCONFIRM && p->neg.params.ext_msg
				 ? BGP_EXT_MAX_LEN
				 : BGP_MAX_LEN;
		int r;

		rbuf_init(&stream, c->in + c->in_off, c->in_len - c->in_off);
		bgp_verdict_init(&v);
		r = bgp_hdr_split(&stream, max, &type, &msg, &body, &v);
		if (r == 0)
			return;
		if (r < 0) {
			if (c == p->alt) {
				conn_free(c);
				p->alt = NULL;
				p->conn_epoch++;
				return;
			}
			verdict_error(p, FSM_EV_BGP_HEADER_ERR, &v, &msg);
			return;
		}
		/* consumed before handling: the views stay valid (no compaction
		 * until the next read) and the handler may free c */
		c->in_off += rbuf_off(&stream);
		handle(p, c, type, &msg, &body);
		if (c != p->conn && c != p->alt)
			return;
	}
}
