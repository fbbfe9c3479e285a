/*
 * session: the per-neighbor BGP session.  Carries out the actions that
 * fsm_step() (RFC 4271 s8.2.2) returns, owns the session timers
 * (ConnectRetry with jitter, Hold, Keepalive, the automatic restart after
 * Idle), accepts connections per state (with RFC 4271 s6.8 collision
 * detection finished in session_msg.c), and is the RDE's send/room
 * callback.
 *
 * Choices the RFC leaves open (RFC 4271 s8.1.1 optional attributes):
 * after a session goes Idle (a failed connect, an error, a NOTIFICATION)
 * it is restarted, unless stopped by hand or shutting down, after a short
 * jittered IdleHoldTime (fsm_restart_event): after losing a session that
 * had reached OpenSent, by AutomaticStart (Event 3, connect now: the peer
 * most likely went Idle too, and two speakers that both only listen wait
 * a whole ConnectRetryTime); after a failed connection attempt, by
 * AutomaticStart_with_PassiveTcpEstablishment (Event 5): Active listens
 * for the peer, and the ConnectRetryTimer drives the next attempt.  A
 * connection from the peer during the IdleHoldTime starts the session at
 * once instead of being refused (fsm_incoming).  Our own connection
 * attempt and the peer's may cross: both are kept until an OPEN decides
 * (RFC 4271 s6.8, session_msg.c).  Passive neighbors never connect, so
 * they run no ConnectRetryTimer.
 *
 * Not for: socket handling (session_io.c), message parsing (session_msg.c,
 * session_open.c).
 */
#include <stdlib.h>
#include <string.h>

#include "vtopod/vtopod.h"

/* RFC 4271 s8.1.1 IdleHoldTime (DampPeerOscillations is not implemented,
 * so it does not grow). */
#define SESSION_IDLE_HOLD_MS 1000

/* ---- helpers ---- */

/* RFC 4271 s10: jitter, a random factor in [0.75, 1.0]. */
uint64_t session_jitter(struct vtopod *d, uint64_t ms)
{
	uint64_t x = d->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	d->rng = x;
	return ms - (ms / 4) * (x % 1001) / 1000;
}

struct peer *session_peer_by_addr(struct vtopod *d, const struct ipaddr *a)
{
	for (size_t i = 0; i < d->n_peers; i++)
		if (ipaddr_cmp(&d->peers[i]->cfg->address, a) == 0)
			return d->peers[i];
	return NULL;
}

static struct peer *peer_by_id(struct vtopod *d, rde_peer_id id)
{
	return id < d->n_by_id ? d->by_id[id] : NULL;
}

static void peer_drop_conns(struct peer *p)
{
	conn_free(p->conn);
	conn_free(p->alt);
	p->conn = p->alt = NULL;
	p->conn_epoch++;
}

void peer_error(struct peer *p, enum fsm_event ev, uint8_t code, uint8_t subcode,
		const uint8_t *data, size_t len, const char *reason)
{
	p->err.set = true;
	p->err.code = code;
	p->err.subcode = subcode;
	p->err.len = len < sizeof(p->err.data) ? len : 0;
	if (p->err.len)
		memcpy(p->err.data, data, p->err.len);
	snprintf(p->err.reason, sizeof(p->err.reason), "%s", reason ? reason : "");
	peer_event(p, ev);
}

/* ---- timers ---- */

static void on_connect_retry(struct ev_loop *loop, void *arg)
{
	struct peer *p = arg;
	uint64_t md5 = session_md5_failures();

	(void)loop;
	if (p->cfg->auth_password && p->state == FSM_CONNECT) {
		/* RFC 2385 s2: mis-signed segments are dropped silently, so a
		 * wrong password shows up only as a connection that never
		 * comes up and as the kernel's MD5 drop counters. */
		log_peer_warnx(
		    p,
		    "no TCP connection after %us with TCP-MD5 on; the kernel dropped "
		    "%llu segments for TCP-MD5 reasons since the last attempt "
		    "(TCPMD5Failure/NotFound/Unexpected): check the password on both sides",
		    p->cfg->connect_retry, (unsigned long long)(md5 - p->md5_fail_seen));
	}
	p->md5_fail_seen = md5;
	peer_event(p, FSM_EV_CONNECT_RETRY_TIMER_EXPIRES);
}

static void on_hold(struct ev_loop *loop, void *arg)
{
	(void)loop;
	peer_event(arg, FSM_EV_HOLD_TIMER_EXPIRES);
}

static void on_keepalive(struct ev_loop *loop, void *arg)
{
	(void)loop;
	peer_event(arg, FSM_EV_KEEPALIVE_TIMER_EXPIRES);
}

static void on_restart(struct ev_loop *loop, void *arg)
{
	struct peer *p = arg;

	(void)loop;
	peer_event(p, fsm_restart_event(p->idle_from));
}

static void on_rtc_wait(struct ev_loop *loop, void *arg)
{
	struct peer *p = arg;

	(void)loop;
	if (p->state == FSM_ESTABLISHED)
		rde_rtc_timeout(p->d->rde, p->id);
}

static void timers_stop(struct peer *p)
{
	struct ev_loop *l = p->d->loop;

	ev_timer_stop(l, &p->t_connect_retry);
	ev_timer_stop(l, &p->t_hold);
	ev_timer_stop(l, &p->t_keepalive);
	ev_timer_stop(l, &p->t_rtc);
}

/* ---- carrying out FSM actions ---- */

/* The Cease subcode for the event that asks for one (RFC 4486 s4). */
static void notify_cease(struct peer *p, enum fsm_event ev)
{
	uint8_t sub = 0;
	const char *why = NULL;

	if (p->err.set && p->err.code == BGP_ERR_CEASE) {
		session_send_notify(p, p->conn, BGP_ERR_CEASE, p->err.subcode, p->err.data,
				    p->err.len, p->err.reason);
		return;
	}
	switch (ev) {
	case FSM_EV_MANUAL_STOP:
		sub = 2, why = "administrative-shutdown";
		break;
	case FSM_EV_AUTOMATIC_STOP:
		sub = p->stop_subcode, why = "automatic-stop";
		break;
	case FSM_EV_OPEN_COLLISION_DUMP:
	case FSM_EV_BGP_OPEN:
		sub = 7, why = "connection-collision-resolution";
		break;
	default:
		break;
	}
	session_send_notify(p, p->conn, BGP_ERR_CEASE, sub, NULL, 0, why);
}

/* RFC 6608 s3: FSM Error subcode names the state the message came in. */
static uint8_t fsm_err_subcode(enum fsm_state s)
{
	return s == FSM_OPENSENT ? 1 : s == FSM_OPENCONFIRM ? 2 : s == FSM_ESTABLISHED ? 3 : 0;
}

static void act_notify(struct peer *p, uint32_t a, enum fsm_event ev)
{
	if (!p->conn || p->conn->connecting)
		return;
	if (a & FSM_A_NOTIFY_CEASE)
		notify_cease(p, ev);
	if (a & FSM_A_NOTIFY_HOLD)
		session_send_notify(p, p->conn, BGP_ERR_HOLD_TIMER, 0, NULL, 0,
				    "hold-timer-expired");
	if (a & FSM_A_NOTIFY_FSM)
		session_send_notify(p, p->conn, BGP_ERR_FSM, fsm_err_subcode(p->state), NULL, 0,
				    fsm_event_name(ev));
	if ((a & FSM_A_NOTIFY_ERR) && p->err.set)
		session_send_notify(p, p->conn, p->err.code, p->err.subcode, p->err.data,
				    p->err.len, p->err.reason);
}

static void act_timers(struct peer *p, uint32_t a)
{
	struct vtopod *d = p->d;

	if ((a & FSM_A_CRT_START) && !p->cfg->passive)
		ev_timer_start(d->loop, &p->t_connect_retry,
			       session_jitter(d, (uint64_t)p->cfg->connect_retry * 1000), 0);
	if (a & FSM_A_CRT_STOP)
		ev_timer_stop(d->loop, &p->t_connect_retry);
	if (a & FSM_A_HOLD_LARGE)
		ev_timer_start(d->loop, &p->t_hold, SESS_HOLD_LARGE_MS, 0);
	/* RFC 4271 s4.2: a negotiated Hold Time of zero means no timers */
	if (a & (FSM_A_HOLD_NEG | FSM_A_HOLD_RESTART)) {
		if (p->neg.hold_time)
			ev_timer_start(d->loop, &p->t_hold, (uint64_t)p->neg.hold_time * 1000, 0);
		else
			ev_timer_stop(d->loop, &p->t_hold);
	}
	if ((a & FSM_A_KA_RESTART) && p->neg.keepalive)
		ev_timer_start(d->loop, &p->t_keepalive,
			       session_jitter(d, (uint64_t)p->neg.keepalive * 1000), 0);
}

static void act_peer_up(struct peer *p)
{
	struct vtopod *d = p->d;
	char rid[IPADDR_STRLEN];
	struct ipaddr ra;

	ipaddr_from_v4(&ra, p->neg.remote_id);
	log_peer_notice(p, "session established (AS %u, BGP id %s, hold %us, keepalive %us)",
			p->neg.remote_as, ipaddr_fmt(&ra, rid, sizeof(rid)), p->neg.hold_time,
			p->neg.keepalive);
	rde_peer_up(d->rde, p->id, &p->neg.params, p->neg.remote_id, &p->conn->local);
	session_gr_peer_up(p);
	/* the RDE waits for the RTC End-of-RIB only with graceful restart
	 * (RFC 4684 s6); this bounds that wait */
	if ((p->neg.params.fams & bgp_fam_bit(BGP_FAM_RTC)) && p->neg.params.gr)
		ev_timer_start(d->loop, &p->t_rtc, SESS_RTC_EOR_WAIT_MS, 0);
	/* RFC 4271 s6.8: a collision with an Established connection closes
	 * the new one. */
	if (p->alt) {
		session_send_notify(p, p->alt, BGP_ERR_CEASE, 7, NULL, 0,
				    "connection-collision-resolution");
		conn_free(p->alt);
		p->alt = NULL;
		p->conn_epoch++;
	}
}

static void enter_state(struct peer *p, enum fsm_state next, enum fsm_event ev)
{
	struct vtopod *d = p->d;

	if (next == p->state)
		return;
	log_peer_info(p, "%s -> %s (%s)", fsm_state_name(p->state), fsm_state_name(next),
		      fsm_event_name(ev));
	if (next == FSM_IDLE)
		p->idle_from = p->state;
	p->state = next;
	p->state_since = ev_now(d->loop);
	if (next == FSM_IDLE) {
		ev_timer_stop(d->loop, &p->t_connect_retry);
		if (!p->admin_down && !d->stopping)
			ev_timer_start(d->loop, &p->t_restart,
				       session_jitter(d, SESSION_IDLE_HOLD_MS), 0);
	}
}

void peer_event(struct peer *p, enum fsm_event ev)
{
	enum fsm_state old = p->state;
	struct fsm_result r = fsm_step(old, ev);
	uint32_t a = r.actions;

	if (a == 0) {
		log_peer_debug(p, "%s ignored in %s", fsm_event_name(ev), fsm_state_name(old));
		p->err.set = false;
		return;
	}
	if (a & FSM_A_CRC_ZERO)
		p->connect_retry_counter = 0;
	if (a & FSM_A_INIT)
		ev_timer_stop(p->d->loop, &p->t_restart);
	act_notify(p, a, ev);
	p->err.set = false;
	if (a & FSM_A_DROP) {
		if (p->conn && (p->conn->fd >= 0))
			log_peer_debug(p, "dropping the TCP connection");
		peer_drop_conns(p);
	}
	if ((a & FSM_A_CONNECT) && !p->cfg->passive && conn_connect(p) < 0)
		log_peer_info(p,
			      "cannot start a TCP connection; retrying on the ConnectRetryTimer");
	if (a & FSM_A_SEND_OPEN)
		session_send_open(p, p->conn);
	if (a & FSM_A_SEND_KEEPALIVE)
		session_send_keepalive(p);
	act_timers(p, a);
	/* RFC 4271 s8.2.2: leaving Established deletes the peer's routes */
	if (old == FSM_ESTABLISHED && r.next != FSM_ESTABLISHED)
		session_gr_peer_down(p, ev); /* RFC 4724 s4.2 may keep them */
	if (a & FSM_A_RELEASE) {
		timers_stop(p);
		peer_drop_conns(p);
		memset(&p->neg, 0, sizeof(p->neg));
	}
	if (a & FSM_A_CRC_INC)
		p->connect_retry_counter++;
	enter_state(p, r.next, ev);
	if (a & FSM_A_PEER_UP)
		act_peer_up(p);
}

/* ---- incoming connections, per state (RFC 4271 s8.2.2, s6.8) ---- */

/* A second connection, tracked until its OPEN decides (s6.8,
 * session_msg.c); our OPEN goes on it at once. */
static void track_second(struct peer *p, struct conn *c)
{
	log_peer_info(p,
		      "second TCP connection (inbound, remote port %u, collision), waiting "
		      "for its OPEN",
		      c->rport);
	conn_free(p->alt);
	p->alt = c;
	p->conn_epoch++;
	session_send_open(p, c);
}

/*
 * The session's connection is gone (failed, lost, or closed by the peer's
 * collision resolution) while a second one is tracked (s6.8): the second
 * one, on which our OPEN went out and the peer's has not come yet, becomes
 * the session's, in OpenSent, instead of the session going Idle and
 * taking it along.  false when there is none to take over.
 */
bool session_alt_take_over(struct peer *p, const char *why)
{
	struct vtopod *d = p->d;

	if (!p->alt ||
	    (p->state != FSM_CONNECT && p->state != FSM_OPENSENT && p->state != FSM_OPENCONFIRM))
		return false;
	log_peer_info(p, "%s: carrying on with the second connection (RFC 4271 s6.8)", why);
	conn_free(p->conn);
	p->conn = p->alt;
	p->alt = NULL;
	p->conn_epoch++;
	memset(&p->neg, 0, sizeof(p->neg));
	ev_timer_stop(d->loop, &p->t_connect_retry);
	ev_timer_stop(d->loop, &p->t_keepalive);
	/* as on entering OpenSent (s8.2.2: "sets the HoldTimer to a large
	 * value") */
	ev_timer_start(d->loop, &p->t_hold, SESS_HOLD_LARGE_MS, 0);
	if (p->state != FSM_OPENSENT) {
		log_peer_info(p, "%s -> %s (second connection)", fsm_state_name(p->state),
			      fsm_state_name(FSM_OPENSENT));
		p->state = FSM_OPENSENT;
		p->state_since = ev_now(d->loop);
	}
	return true;
}

/* TcpConnectionConfirmed: the session's connection */
static void accept_conn(struct peer *p, struct conn *c)
{
	log_peer_info(p, "TCP connection accepted (inbound, remote port %u)", c->rport);
	conn_free(p->conn);
	p->conn = c;
	p->conn_epoch++;
	peer_event(p, FSM_EV_TCP_CONNECTION_CONFIRMED);
}

void session_incoming(struct peer *p, struct conn *c)
{
	bool connecting = p->conn && p->conn->connecting;

	switch (fsm_incoming(p->state, connecting, ev_timer_armed(&p->t_restart))) {
	case FSM_IN_START_ACCEPT:
		log_peer_info(p,
			      "connection from the peer while waiting to restart: restarting now");
		peer_event(p, FSM_EV_AUTOMATIC_START_PASSIVE);
		if (p->state != FSM_ACTIVE)
			break;
		accept_conn(p, c);
		return;
	case FSM_IN_ACCEPT:
		accept_conn(p, c);
		return;
	case FSM_IN_SECOND:
		track_second(p, c);
		/* OpenSent/OpenConfirm name the event (s8.2.2: "tracked");
		 * Connect would take it as its own connection coming up */
		if (p->state != FSM_CONNECT)
			peer_event(p, FSM_EV_TCP_CONNECTION_CONFIRMED);
		return;
	case FSM_IN_REFUSE:
		break;
	}
	/* Idle refuses connections (s8.2.2); a collision with an Established
	 * session closes the new connection (s6.8).  RFC 4486 s4: Cease /
	 * Connection Rejected. */
	session_send_notify(p, c, BGP_ERR_CEASE, 5, NULL, 0, "connection-rejected");
	log_peer_info(p, "connection refused in state %s", fsm_state_name(p->state));
	conn_free(c);
}

/* ---- RDE callbacks ---- */

void session_rde_send(void *ctx, rde_peer_id id, const uint8_t *msg, size_t len)
{
	struct vtopod *d = ctx;
	struct peer *p = peer_by_id(d, id);

	if (!p || p->state != FSM_ESTABLISHED || !p->conn)
		return;
	conn_send(p->conn, msg, len);
	d->rde_sends++;
}

size_t session_rde_room(void *ctx, rde_peer_id id)
{
	struct vtopod *d = ctx;
	struct peer *p = peer_by_id(d, id);
	size_t pending;

	if (!p || p->state != FSM_ESTABLISHED || !p->conn)
		return 0;
	pending = conn_out_pending(p->conn);
	return pending >= SESS_OUT_HIGH ? 0 : SESS_OUT_HIGH - pending;
}

/* ---- life cycle ---- */

static int peer_rde_add(struct vtopod *d, struct peer *p)
{
	const struct config_neighbor *n = p->cfg;
	struct rde_peer_config pc = {0};

	pc.address = n->address;
	pc.remote_as = n->remote_as;
	pc.rr_client = n->route_reflector_client;
	pc.next_hop_self = n->next_hop_self;
	pc.name = p->name;
	for (size_t i = 0; i < n->n_families; i++) {
		const struct config_family *f = &n->families[i];
		enum bgp_fam bf = bgp_fam_from_name(config_afi_safi_name(f->name));

		if (!f->enabled || bf == BGP_FAM_NONE)
			continue;
		pc.families |= bgp_fam_bit(bf);
		if (f->add_paths_receive)
			pc.addpath_rx |= bgp_fam_bit(bf);
		pc.max_prefixes[bf] = f->max_prefixes;
	}
	p->id = rde_peer_add(d->rde, &pc);
	if (p->id == RDE_PEER_NONE)
		return -1;
	if (p->id >= d->n_by_id) {
		size_t n_new = (size_t)p->id + 16;
		struct peer **b = realloc(d->by_id, n_new * sizeof(*b));

		if (!b)
			return -1;
		memset(b + d->n_by_id, 0, (n_new - d->n_by_id) * sizeof(*b));
		d->by_id = b;
		d->n_by_id = n_new;
	}
	d->by_id[p->id] = p;
	return 0;
}

int session_peers_create(struct vtopod *d)
{
	d->peers = calloc(d->cfg->n_neighbors ? d->cfg->n_neighbors : 1, sizeof(*d->peers));
	if (!d->peers)
		return -1;
	for (size_t i = 0; i < d->cfg->n_neighbors; i++) {
		struct peer *p = session_peer_new(d, &d->cfg->neighbors[i]);

		if (!p)
			return -1;
		d->peers[d->n_peers++] = p;
	}
	return 0;
}

struct peer *session_peer_new(struct vtopod *d, const struct config_neighbor *n)
{
	struct peer *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->d = d;
	p->log = &d->log;
	p->cfg = n;
	ipaddr_fmt(&p->cfg->address, p->name, sizeof(p->name));
	p->state = FSM_IDLE;
	p->stop_subcode = 0;
	log_rl_init(&p->rl, 10, 60000);
	ev_timer_init(&p->t_connect_retry, on_connect_retry, p);
	ev_timer_init(&p->t_hold, on_hold, p);
	ev_timer_init(&p->t_keepalive, on_keepalive, p);
	ev_timer_init(&p->t_restart, on_restart, p);
	ev_timer_init(&p->t_rtc, on_rtc_wait, p);
	session_gr_init(p);
	session_open_local_caps(p);
	if (peer_rde_add(d, p) < 0) {
		log_peer_errx(p, "the route decision engine has no room for this neighbor");
		free(p);
		return NULL;
	}
	return p;
}

void session_peer_delete(struct peer *p, uint8_t cease_subcode, const char *reason)
{
	struct vtopod *d = p->d;

	p->admin_down = true;
	if (p->state == FSM_ESTABLISHED || p->state == FSM_OPENCONFIRM ||
	    p->state == FSM_OPENSENT) {
		p->err.set = true;
		p->err.code = BGP_ERR_CEASE;
		p->err.subcode = cease_subcode;
		p->err.len = 0;
		snprintf(p->err.reason, sizeof(p->err.reason), "%s", reason);
	}
	peer_event(p, FSM_EV_MANUAL_STOP);
	timers_stop(p);
	ev_timer_stop(d->loop, &p->t_restart);
	session_gr_stop(p);
	peer_drop_conns(p);
	rde_peer_remove(d->rde, p->id);
	if (p->id < d->n_by_id)
		d->by_id[p->id] = NULL;
	free(p);
}

void session_peers_start(struct vtopod *d)
{
	for (size_t i = 0; i < d->n_peers; i++)
		session_peer_start(d->peers[i]);
}

void session_peer_start(struct peer *p)
{
	struct vtopod *d = p->d;

	p->state_since = ev_now(d->loop);
	p->md5_fail_seen = session_md5_failures();
	if (!p->cfg->enabled) {
		p->admin_down = true;
		log_peer_info(p, "disabled in the configuration");
		return;
	}
	peer_event(p, p->cfg->passive ? FSM_EV_MANUAL_START_PASSIVE : FSM_EV_MANUAL_START);
}

void session_peers_shutdown(struct vtopod *d, const char *why)
{
	d->stopping = true;
	for (size_t i = 0; i < d->n_peers; i++) {
		struct peer *p = d->peers[i];
		size_t n = why ? strlen(why) : 0;

		p->admin_down = true;
		/* RFC 9003 s2: Cease/Administrative Shutdown may carry a
		 * length-prefixed UTF-8 shutdown communication */
		if (p->state == FSM_ESTABLISHED && n > 0 && n < 128) {
			uint8_t data[129];

			data[0] = (uint8_t)n;
			memcpy(data + 1, why, n);
			p->err.set = true;
			p->err.code = BGP_ERR_CEASE;
			p->err.subcode = 2;
			memcpy(p->err.data, data, n + 1);
			p->err.len = n + 1;
			snprintf(p->err.reason, sizeof(p->err.reason), "administrative-shutdown");
		}
		peer_event(p, FSM_EV_MANUAL_STOP);
		ev_timer_stop(d->loop, &p->t_restart);
	}
}

void session_peers_free(struct vtopod *d)
{
	for (size_t i = 0; i < d->n_peers; i++) {
		struct peer *p = d->peers[i];

		timers_stop(p);
		ev_timer_stop(d->loop, &p->t_restart);
		session_gr_stop(p);
		peer_drop_conns(p);
		free(p);
	}
	free(d->peers);
	free(d->by_id);
	d->peers = NULL;
	d->by_id = NULL;
	d->n_peers = d->n_by_id = 0;
}
