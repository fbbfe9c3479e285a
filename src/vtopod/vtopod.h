/*
 * vtopod: the daemon's object model.  struct vtopod owns everything (the
 * loop, the log, the configuration, the RDE, the peers and the listen
 * sockets); nothing is global.  A struct peer is one configured neighbor
 * with its RFC 4271 state machine, timers and at most two TCP connections
 * (the second only while a collision, RFC 4271 s6.8, is being resolved).
 *
 * Files: session.c (FSM actions, timers, peer life cycle), session_io.c
 * (sockets, TCP-MD5, framing, output buffers), session_open.c (our OPEN
 * and the checks of the peer's), session_gr.c (graceful restart helper,
 * RFC 4724), session_show.c (the "show neighbors" model), reload.c
 * (configuration reload at run time), main.c (process).
 *
 * Not for: routes (the RDE owns them), configuration parsing (config.h).
 */
#ifndef VTOPO_VTOPOD_H
#define VTOPO_VTOPOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "core/ev.h"
#include "core/log.h"
#include "lib/prefix.h"
#include "rde/rde.h"
#include "vtopod/fsm.h"
#include "wire/bgp.h"
#include "wire/msg.h"

struct json_object;

/* Input buffer: two maximum-size messages, so a whole one always fits
 * behind a partial one after compaction. */
#define SESS_IN_CAP (2 * BGP_EXT_MAX_LEN + 2)
/* Output: above this many pending bytes the RDE is told there is no room. */
#define SESS_OUT_HIGH (1u << 20)
/* RFC 4271 s8.2.2: "a large value ... suggested 4 minutes" */
#define SESS_HOLD_LARGE_MS (240u * 1000u)
/* RFC 4684 s6: how long to wait for the peer's RT-Constraint End-of-RIB */
#define SESS_RTC_EOR_WAIT_MS (60u * 1000u)

struct obuf {
	uint8_t *buf;
	size_t off, len, cap; /* pending bytes are buf[off, len) */
};

struct conn {
	struct peer *peer;
	int fd;
	struct ev_io *io;
	bool outbound;	 /* we initiated it */
	bool connecting; /* non-blocking connect in progress */
	struct ipaddr local, remote;
	uint16_t lport, rport;
	uint8_t *in;
	size_t in_off, in_len; /* unread bytes are in[in_off, in_len) */
	struct obuf out;
};

enum sess_dir { SESS_DIR_NONE, SESS_DIR_SENT, SESS_DIR_RECEIVED };

struct sess_last_error {
	enum sess_dir dir;
	uint8_t code, subcode;
	char reason[48]; /* our error name, e.g. "hold-timer-expired", "open-peer-as" */
};

/* What the OPEN exchange settled (valid from OpenConfirm on). */
struct sess_negotiated {
	struct bgp_sess_params params;
	uint16_t hold_time; /* seconds, 0 = no hold timer */
	uint16_t keepalive; /* seconds, 0 = no keepalives */
	uint32_t remote_id; /* host order */
	uint32_t remote_as;
	bool route_refresh, enhanced_rr, gr;
	uint16_t gr_time;	  /* the peer's Restart Time (RFC 4724 s3) */
	uint32_t gr_fams, gr_fwd; /* families it listed, those with the F bit */
};

struct peer {
	struct vtopod *d;
	struct log *log;	  /* for log_peer_*() */
	char name[IPADDR_STRLEN]; /* address text, for logs and show */
	const struct config_neighbor *cfg;
	rde_peer_id id;
	struct bgp_caps local_caps; /* what our OPEN announces */

	enum fsm_state state;
	uint64_t state_since; /* ev_now() at the last state change */
	bool admin_down;      /* ManualStop: no automatic restart */
	uint32_t connect_retry_counter;
	uint8_t stop_subcode; /* Cease subcode for the next AutomaticStop */
	enum fsm_state idle_from; /* the state left for Idle (fsm_restart_event) */

	struct conn *conn; /* the session's connection */
	struct conn *alt;  /* a second one during collision detection */
	struct sess_negotiated neg;

	struct ev_timer t_connect_retry, t_hold, t_keepalive, t_restart, t_rtc;
	/* RFC 4724 s4.2 helper (session_gr.c): the peer's Restart Time, then
	 * the stale-path time once the session is back */
	struct ev_timer t_gr_restart, t_gr_stale;
	bool gr_restarting; /* its routes are kept stale: waiting for it */

	uint64_t msgs_in[BGP_MSG_ROUTE_REFRESH + 1], msgs_out[BGP_MSG_ROUTE_REFRESH + 1];
	struct sess_last_error last_error;
	struct log_rl rl; /* per-packet log lines */
	uint64_t md5_fail_seen;
	/* Bumped whenever conn or alt is freed or swapped, so a message
	 * handler can tell that its connection is gone. */
	uint32_t conn_epoch;
	/* The NOTIFICATION the next NOTIFY_ERR / NOTIFY_CEASE action sends. */
	struct {
		bool set;
		uint8_t code, subcode;
		uint8_t data[256];
		size_t len;
		char reason[48];
	} err;
};

struct listener {
	int fd;
	struct ev_io *io;
	struct ipaddr addr;
	uint16_t port;
};

struct vtopod_ctl;
struct fib_backend_ops;

struct vtopod {
	struct ev_loop *loop;
	struct log log;
	struct config *cfg;
	struct rde *rde;
	struct peer **peers; /* config order (sorted by address) */
	size_t n_peers;
	struct peer **by_id; /* index: rde_peer_id */
	size_t n_by_id;
	struct listener *listeners;
	size_t n_listeners;
	uint64_t rng; /* xorshift state for timer jitter */
	bool stopping;
	unsigned rde_budget;
	uint64_t rde_sends;	 /* messages the RDE sent (progress check) */
	unsigned rde_idle_spins; /* turns of RDE work that sent nothing */
	bool rde_more;		 /* the last rde_work() left work */
	struct ev_timer t_rde_kick;
	struct vtopod_ctl *ctl; /* control socket (main_ctl.c) */
	const char *cfg_path;	/* the file reload.c reads again */
	/* Where the VRF / service-topology runtime hears about a reload:
	 * called after the sessions and RT membership follow the new
	 * configuration, before the old one is freed (reload.c). */
	void (*on_config)(struct vtopod *d, const struct config *old_cfg,
			  const struct config *new_cfg, void *arg);
	void *on_config_arg;
	struct vtopod_svc *svc; /* service topologies (vtopod_svc.c) */
	const char *fib_socket; /* vtopo-dp's socket (--fib-socket), or NULL */
	/* A FIB backend given by the caller (tests: fib_record), handed to
	 * the FIB with its context; NULL: fib_socket decides. */
	const struct fib_backend_ops *fib_ops;
	void *fib_ctx;
};

/* ---- main_ctl.c: the control socket ---- */
int vtopod_ctl_start(struct vtopod *d);
void vtopod_ctl_stop(struct vtopod *d);

/* ---- session.c ---- */
int session_peers_create(struct vtopod *d);
void session_peers_start(struct vtopod *d);
/* Send Cease/Administrative Shutdown (RFC 9003) to established peers and
 * stop every session. */
void session_peers_shutdown(struct vtopod *d, const char *why);
void session_peers_free(struct vtopod *d);
/* One peer of configured neighbor n (down, known to the RDE), or NULL. */
struct peer *session_peer_new(struct vtopod *d, const struct config_neighbor *n);
void session_peer_start(struct peer *p);
/* End p's session with Cease/subcode (RFC 4486 s4) if it has one, take its
 * routes out of the RDE and free it. */
void session_peer_delete(struct peer *p, uint8_t cease_subcode, const char *reason);
void peer_event(struct peer *p, enum fsm_event ev);
/* A connection from p's address was accepted (RFC 4271 s8.2.2 per state). */
void session_incoming(struct peer *p, struct conn *c);
bool session_alt_take_over(struct peer *p, const char *why);
/* The session must end with this NOTIFICATION (an error in a received
 * message): raises the FSM event ev (BGPHeaderErr, BGPOpenMsgErr,
 * UpdateMsgErr) with it. */
void peer_error(struct peer *p, enum fsm_event ev, uint8_t code, uint8_t subcode,
		const uint8_t *data, size_t len, const char *reason);
struct peer *session_peer_by_addr(struct vtopod *d, const struct ipaddr *a);
/* RDE callbacks (ctx = struct vtopod *) */
void session_rde_send(void *ctx, rde_peer_id id, const uint8_t *msg, size_t len);
size_t session_rde_room(void *ctx, rde_peer_id id);
uint64_t session_jitter(struct vtopod *d, uint64_t ms);

/* ---- session_io.c ---- */
int session_listen(struct vtopod *d);
void session_listen_close(struct vtopod *d);
int conn_connect(struct peer *p);
void conn_free(struct conn *c);
void conn_send(struct conn *c, const uint8_t *msg, size_t len);
/* Best effort: write what the socket takes now (before a close). */
void conn_flush_now(struct conn *c);
size_t conn_out_pending(const struct conn *c);
uint64_t session_md5_failures(void);
/* NOTIFICATION on c; records last_error when c is the session's. */
void session_send_notify(struct peer *p, struct conn *c, uint8_t code, uint8_t subcode,
			 const uint8_t *data, size_t len, const char *reason);
void session_send_keepalive(struct peer *p);

/* ---- session_open.c ---- */
void session_open_local_caps(struct peer *p);
void session_send_open(struct peer *p, struct conn *c);
/*
 * Check a received OPEN (RFC 4271 s6.2, RFC 5492, RFC 6286) and settle
 * the session parameters into *neg.  On error returns false with the
 * NOTIFICATION in code/subcode/data (*dlen bytes) and reason.
 */
bool session_open_check(struct peer *p, const struct bgp_open *o, struct sess_negotiated *neg,
			uint8_t *code, uint8_t *subcode, uint8_t *data, size_t *dlen,
			const char **reason);

/* ---- session_gr.c: graceful restart, receiving speaker (RFC 4724) ---- */
/* RFC 4724 s4.2: how long stale routes wait for End-of-RIB after the
 * session is back */
#define SESS_GR_STALE_MS (360u * 1000u)
void session_gr_init(struct peer *p);
void session_gr_stop(struct peer *p);
/* Our capability (restart time, families without the F bit). */
void session_gr_local_caps(struct peer *p, struct bgp_caps *c);
/* The session left Established on FSM event ev: graceful or not. */
void session_gr_peer_down(struct peer *p, enum fsm_event ev);
/* The session is Established again (after rde_peer_up()). */
void session_gr_peer_up(struct peer *p);
struct json_object *session_gr_show(const struct peer *p);

/* ---- reload.c: configuration reload at run time ---- */
/*
 * Read the configuration file again and apply it as a difference
 * (config_diff.h).  A file that does not load, or changes what cannot
 * change at run time, is rejected whole: -1, every {path, reason} in errs
 * (and in the log), nothing changed.  On success returns 0 and, when
 * summary is not NULL, sets it to {"neighbors": {"added": [...], ...},
 * "route_targets": [...]} (docs/ctl-json.md).
 */
int vtopod_reload(struct vtopod *d, struct config_errors *errs, struct json_object **summary);
/* Our RT-Constraint membership from the configuration (RFC 4684 s3). */
void vtopod_rtc_apply(struct vtopod *d);

/* ---- vtopod_svc.c: VRFs, attachments, service topologies ---- */
/* Build svc from d->cfg and hook d->on_config; -1 on failure. */
int vtopod_svc_start(struct vtopod *d);
void vtopod_svc_stop(struct vtopod *d);
/* Bounded svc work (HOUSE-STYLE principle 10); true while more remains. */
bool vtopod_svc_work(struct vtopod *d);
/* RFC 4724 s4.1: how long a restarted vtopod holds vtopo-dp's resync at
 * most while it waits for its sessions and their End-of-RIB */
#define VTOPOD_FIB_HOLD_MS (60u * 1000u)
/* vtopo-dp holds our forwarding state (RFC 4724 s3 F bit); *restarting:
 * it held it when we started and we have not resynced it yet (R bit). */
bool vtopod_svc_fwd_kept(struct vtopod *d, bool *restarting);
/* "fib" [VRF], "labels", "service-topology" [NAME]: the svc show models. */
struct json_object *vtopod_svc_show(struct vtopod *d, const char *what, const char *arg);
/* Attachments at run time (`vtopoctl attach`, draft s2): add one, checked
 * against the configuration and the others (unknown VRF, name, interface
 * or address taken, VPN family on no neighbor), or delete one; NULL with
 * the reason in err (CTL_ERR_MAX bytes), nothing changed. */
struct ctl_attach;
struct json_object *vtopod_svc_attach_add(struct vtopod *d, const struct ctl_attach *a, char *err);
struct json_object *vtopod_svc_attach_del(struct vtopod *d, const char *name, char *err);
/* "show attachments": configured and run-time ones with state and labels */
struct json_object *vtopod_svc_attachments(struct vtopod *d);
/* The run-time attachments the last reload withdrew or brought back:
 * [{"name", "state", "reason"}] (a new reference). */
struct json_object *vtopod_svc_reload_changes(struct vtopod *d);

/* ---- session_msg.c ---- */
/* Split and handle every whole message in c's input buffer. */
void session_input(struct peer *p, struct conn *c);

/* ---- session_show.c ---- */
struct json_object *session_show_neighbors(struct vtopod *d, const char *address_or_null);

#endif
