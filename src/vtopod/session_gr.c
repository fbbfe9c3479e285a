/*
 * session_gr: graceful restart as the Receiving Speaker (RFC 4724 s4.2,
 * "helper mode"): when a peer that announced the capability loses its
 * session without a NOTIFICATION, its routes are kept (stale, in the RDE)
 * for the Restart Time it announced; once the session is back they are
 * replaced as the peer re-announces them and the rest go at the peer's
 * End-of-RIB (done by the RDE) or when the stale-path timer runs out.
 *
 * As the Restarting Speaker (s4.1), the forwarding state is vtopo-dp's:
 * while vtopo-dp holds state programmed by vtopod the capability sets the
 * F bit for every family, and after a restart of vtopod (vtopo-dp had
 * state when it started, not resynced yet) the R bit too; vtopod_svc holds
 * vtopo-dp's resync until every session is up with its End-of-RIB.
 * Without vtopo-dp (or before it has state) neither bit is set.  RFC 8538 (graceful
 * NOTIFICATION) is not implemented: a session ended by a NOTIFICATION,
 * sent or received, withdraws the peer's routes at once.  A lost hold
 * timer counts as a lost session (the peer stopped talking), as TCP
 * failure does.
 *
 * Not for: stale marking and flushing (rde_gr.c), the OPEN (session_open.c).
 */
#include <json-c/json.h>

#include "vtopod/vtopod.h"

static void gr_flush(struct peer *p, const char *why)
{
	uint64_t n = rde_gr_stale_count(p->d->rde, p->id);

	if (n)
		log_peer_notice(p, "graceful restart: %s, %llu stale routes withdrawn", why,
				(unsigned long long)n);
	rde_gr_flush(p->d->rde, p->id, ~0u); /* the loop's RDE hook does the walk */
}

static void on_gr_restart(struct ev_loop *loop, void *arg)
{
	struct peer *p = arg;

	(void)loop;
	/* s4.2: "If the session does not get re-established within the
	 * 'Restart Time' that the peer advertised previously, the Receiving
	 * Speaker MUST delete all the stale routes from the peer" */
	p->gr_restarting = false;
	gr_flush(p, "the restart time ran out");
}

static void on_gr_stale(struct ev_loop *loop, void *arg)
{
	(void)loop;
	/* s4.2: the optional timer bounding how long stale routes are kept
	 * once the session is back */
	gr_flush(arg, "End-of-RIB did not come within the stale-path time");
}

void session_gr_init(struct peer *p)
{
	ev_timer_init(&p->t_gr_restart, on_gr_restart, p);
	ev_timer_init(&p->t_gr_stale, on_gr_stale, p);
	p->gr_restarting = false;
}

void session_gr_stop(struct peer *p)
{
	ev_timer_stop(p->d->loop, &p->t_gr_restart);
	ev_timer_stop(p->d->loop, &p->t_gr_stale);
}

void session_gr_local_caps(struct peer *p, struct bgp_caps *c)
{
	const struct config_neighbor *n = p->cfg;

	if (!n->graceful_restart_enabled)
		return;
	/* RFC 4724 s3: Restart Time, the R bit after our own restart, one
	 * entry per family, the F bit where the forwarding state survived */
	c->gr = true;
	c->gr_restarting = false;
	c->gr_notification = false;
	c->gr_time = n->graceful_restart_time;
	c->gr_fams = c->mp;
	c->gr_fwd = vtopod_svc_fwd_kept(p->d, &c->gr_restarting) ? c->mp : 0;
}

void session_gr_peer_down(struct peer *p, enum fsm_event ev)
{
	struct vtopod *d = p->d;
	bool lost = ev == FSM_EV_TCP_CONNECTION_FAILS || ev == FSM_EV_HOLD_TIMER_EXPIRES;

	ev_timer_stop(d->loop, &p->t_gr_stale);
	if (!p->neg.gr || !lost || !p->neg.gr_fams || d->stopping || p->admin_down) {
		p->gr_restarting = false;
		ev_timer_stop(d->loop, &p->t_gr_restart);
		rde_peer_down(d->rde, p->id);
		return;
	}
	/* s4.2: "the Receiving Speaker MUST retain the routes received from
	 * the peer for all the address families that were previously
	 * received in the Graceful Restart Capability and MUST mark them as
	 * stale routing information" */
	rde_peer_down_gr(d->rde, p->id, p->neg.gr_fams);
	p->gr_restarting = true;
	ev_timer_start(d->loop, &p->t_gr_restart, (uint64_t)p->neg.gr_time * 1000, 0);
	log_peer_notice(p, "graceful restart: session lost, %llu routes kept stale for up to %us",
			(unsigned long long)rde_gr_stale_count(d->rde, p->id), p->neg.gr_time);
}

void session_gr_peer_up(struct peer *p)
{
	struct vtopod *d = p->d;

	ev_timer_stop(d->loop, &p->t_gr_restart);
	p->gr_restarting = false;
	if (!rde_gr_stale_count(d->rde, p->id))
		return;
	/* s4.2: families no longer listed, or listed without the F bit, lose
	 * their stale routes at once; the others wait for End-of-RIB */
	rde_gr_peer_up(d->rde, p->id, p->neg.gr ? p->neg.gr_fwd : 0);
	log_peer_notice(
	    p,
	    "graceful restart: session back, forwarding state kept for %u of its "
	    "families; their stale routes wait for End-of-RIB",
	    (unsigned)__builtin_popcount(p->neg.gr ? p->neg.gr_fwd & p->neg.params.fams : 0));
	ev_timer_start(d->loop, &p->t_gr_stale, SESS_GR_STALE_MS, 0);
}

struct json_object *session_gr_show(const struct peer *p)
{
	struct vtopod *d = p->d;
	struct json_object *o = json_object_new_object();
	const char *state = "none";

	if (p->gr_restarting)
		state = "restarting";
	else if (rde_gr_stale_count(d->rde, p->id))
		state = "waiting-end-of-rib";
	json_object_object_add(o, "enabled", json_object_new_boolean(p->local_caps.gr));
	json_object_object_add(o, "state", json_object_new_string(state));
	if (p->gr_restarting)
		json_object_object_add(
		    o, "restart_remaining",
		    json_object_new_int64(
			(int64_t)(ev_timer_remaining(d->loop, &p->t_gr_restart) / 1000)));
	json_object_object_add(o, "stale_routes",
			       json_object_new_int64((int64_t)rde_gr_stale_count(d->rde, p->id)));
	json_object_object_add(o, "stale", rde_gr_show_peer(d->rde, p->id));
	return o;
}
