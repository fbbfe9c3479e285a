/*
 * rde: the route decision engine as the rest of vtopod sees it.
 *
 * The session layer owns sockets, timers and the FSM; it hands each
 * UPDATE body to the RDE unparsed (like OpenBGPD's session engine) and asks
 * the RDE for work when its peers can take more output.  The RDE owns the
 * RIBs (Adj-RIB-In, Loc-RIB, Adj-RIB-Out per family), the interned
 * attribute sets, the RFC 4271 s9.1 decision process with the RFC 4456
 * tie-breaks, route reflection, RT-Constraint (RFC 4684) and UPDATE
 * generation.  Peers are named by small integer ids across the boundary,
 * never by pointers.
 *
 * Output: the RDE never writes to a socket.  rde_work() builds UPDATE
 * messages and passes them to the `send` callback, but only while the
 * `room` callback says the peer's output buffer can take them, so a slow
 * peer holds its own queue and never the others.  All work is bounded per
 * call (`budget`), so keepalives are never starved.
 *
 * Not for: TCP, timers, NOTIFICATION sending (the caller acts on the
 * verdicts returned here), configuration parsing.
 */
#ifndef VTOPO_RDE_H
#define VTOPO_RDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/ecomm.h"
#include "lib/prefix.h"
#include "lib/rbuf.h"
#include "lib/rd.h"
#include "wire/bgp.h"
#include "wire/verdict.h"

struct json_object;
struct rde;

typedef uint16_t rde_peer_id; /* 1..65535; 0 = none (locally originated) */
#define RDE_PEER_NONE 0

struct rde_config {
	uint32_t local_as;
	uint32_t router_id;	 /* host order */
	uint32_t cluster_id;	 /* host order; RFC 4456 s7 */
	bool always_compare_med; /* RFC 4271 s9.1.2.2 c across neighbour ASes; off by default */
};

/* Static facts about a configured peer (from struct config_neighbor). */
struct rde_peer_config {
	struct ipaddr address;
	uint32_t remote_as;
	bool rr_client; /* RFC 4456 */
	bool next_hop_self;
	uint32_t families;		      /* bgp_fam_bit() of configured families */
	uint32_t addpath_rx;		      /* families with add-paths receive configured */
	uint32_t max_prefixes[BGP_FAM_COUNT]; /* 0 = no limit */
	const char *name;		      /* for logs and show output (address text) */
};

/* Called by rde_work() to emit one whole message (header included). */
typedef void (*rde_send_fn)(void *ctx, rde_peer_id peer, const uint8_t *msg, size_t len);
/* How many bytes the peer's output can take now. */
typedef size_t (*rde_room_fn)(void *ctx, rde_peer_id peer);

struct rde *rde_new(const struct rde_config *cfg, rde_send_fn send, rde_room_fn room, void *ctx);
void rde_free(struct rde *rde);

/* Configure a peer (down); returns its id, or RDE_PEER_NONE when full. */
rde_peer_id rde_peer_add(struct rde *rde, const struct rde_peer_config *pc);
void rde_peer_remove(struct rde *rde, rde_peer_id peer);

/*
 * The session reached Established with what the OPENs negotiated.  The RDE
 * queues the peer's initial Adj-RIB-Out (after its RT-Constraint routes,
 * RFC 4684 s6) followed by End-of-RIB markers (RFC 4724 s2).
 */
void rde_peer_up(struct rde *rde, rde_peer_id peer, const struct bgp_sess_params *p,
		 uint32_t remote_bgp_id, const struct ipaddr *local_addr);
/* The session left Established: its routes are withdrawn. */
void rde_peer_down(struct rde *rde, rde_peer_id peer);

/*
 * RFC 4724 helper mode (rde_gr.c).  rde_peer_down_gr(): the session of a
 * peer that announced graceful restart was lost (TCP failure, hold timer):
 * its paths in `keep` (the families it listed) stay in the RIBs marked
 * stale and keep taking part in the decision process; the other families
 * are withdrawn as by rde_peer_down().  A re-announced path stops being
 * stale; the peer's End-of-RIB for a family withdraws what is still stale
 * in it (s4.2).  rde_gr_peer_up(): after rde_peer_up(), the families the
 * new OPEN no longer lists with the F bit (`keep`) lose their stale paths
 * at once (s4.2).  rde_gr_flush(): the restart timer or the stale-path
 * timer expired: withdraw the stale paths of `fams`.  Flushes are bounded
 * work done by rde_work().
 */
void rde_peer_down_gr(struct rde *rde, rde_peer_id peer, uint32_t keep);
void rde_gr_peer_up(struct rde *rde, rde_peer_id peer, uint32_t keep);
void rde_gr_flush(struct rde *rde, rde_peer_id peer, uint32_t fams);
/* Stale paths of the peer, all families. */
uint64_t rde_gr_stale_count(struct rde *rde, rde_peer_id peer);
/* The session is up and End-of-RIB (RFC 4724 s2) came for every family
 * negotiated and not disabled: the peer's initial routes are all in. */
bool rde_peer_eor_all(struct rde *rde, rde_peer_id peer);

/*
 * One UPDATE body (the view bgp_hdr_split() returned).  Decodes it, applies
 * the RFC 7606 verdict (treat-as-withdraw, attribute discard, AFI/SAFI
 * disable), updates the RIBs and queues the resulting work.  Returns the
 * verdict; when its action is BGP_ACT_SESSION_RESET the caller sends the
 * NOTIFICATION (code, subcode and data in *v) and closes the session.  A
 * max-prefix overflow is reported the same way as Cease / Maximum Number
 * of Prefixes Reached (RFC 4486 s4).
 */
void rde_update(struct rde *rde, rde_peer_id peer, struct rbuf *body, struct bgp_verdict *v);

/*
 * The NOTIFICATION data for a max-prefix verdict (Cease subcode 1,
 * RFC 4486 s4: AFI, SAFI, the configured upper bound): 7 bytes written to
 * out (cap >= 7), or 0 when v is not a max-prefix verdict.  The verdict
 * itself has err BGP_E_NONE, code 6, subcode 1 and fam set.
 */
size_t rde_cease_data(struct rde *rde, rde_peer_id peer, const struct bgp_verdict *v, uint8_t *out,
		      size_t cap);

/* The peer's RT-Constraint End-of-RIB did not come in time (the caller's
 * timer, RFC 4684 s6): send it the VPN routes anyway. */
void rde_rtc_timeout(struct rde *rde, rde_peer_id peer);

/* ROUTE-REFRESH received (RFC 2918, RFC 7313): re-send the Adj-RIB-Out. */
void rde_refresh(struct rde *rde, rde_peer_id peer, enum bgp_fam fam);

/*
 * Do pending work: decision process for changed prefixes, export, UPDATE
 * generation.  At most `budget` units (about one prefix each), plus at
 * most one batch of queued prefixes (1024) so that runs sharing an
 * attribute set are packed whole.  A peer gets output only while `room`
 * reports at least one maximum-size message (4096, or 65535 with
 * RFC 8654).  Returns true while work is left (call again on the next
 * loop turn).
 */
bool rde_work(struct rde *rde, unsigned budget);
/* Units of work rde_work() has done so far (a progress counter: work that
 * sends nothing, like flushing a dead peer's routes, still moves it). */
uint64_t rde_work_units(const struct rde *rde);

/* RT-Constraint membership that vtopod itself originates (RFC 4684 s3: the
 * import route targets of local VRFs); changes take effect at run time. */
void rde_rtc_local_set(struct rde *rde, const uint8_t (*rts)[8], size_t n);

/*
 * Loc-RIB best-path changes of ipv4-vpn, ipv6-vpn, ipv4-vpn-flowspec and
 * ipv6-vpn-flowspec (rde_sub.c), for the VRFs (svc.h): called from the
 * decision process for every (RD, prefix) or (RD, flow) whose best path
 * changed, with the new best path learnt from a peer, or withdraw set (no
 * path left).  A locally originated best is not reported (it is the
 * subscriber's own).  ecomms point at the path's extended communities, and
 * flow at the VPN FlowSpec components (RFC 8955 s8: the NLRI after the RD,
 * without the length; prefix and label unset), for the duration of the call.
 */
struct rde_best {
	enum bgp_fam fam;
	bool withdraw;
	struct rd rd;
	struct prefix prefix;
	uint32_t label; /* the first label's value (RFC 8277) */
	struct ipaddr nexthop;
	const struct ecomm *ecomms;
	size_t n_ecomms;
	uint32_t local_pref, med; /* 100 / 0 when absent (RFC 4271 s9.1.1, s9.1.2.2 c) */
	/* RFC 4271 s9.1.2.2 a, b, c, d: for the decision between the best
	 * paths of distinct RDs that a VRF imports (the ECMP set of an anycast
	 * service address, draft-rfernando-bess-service-chaining-01 s5.2) */
	uint32_t as_path_len, neighbor_as;
	uint8_t origin;
	bool ebgp;
	const uint8_t *flow; /* BGP_FAM_VPNFLOW4 / BGP_FAM_VPNFLOW6 */
	size_t flow_len;
};
typedef void (*rde_best_fn)(void *ctx, const struct rde_best *b);
void rde_best_subscribe(struct rde *rde, rde_best_fn fn, void *ctx);
/* Report the current best path of every net of the subscribed families
 * again, as if each had just changed (the subscriber's import filter grew:
 * routes it passed over before are now wanted).  Withdrawals are not
 * repeated.  Returns the number of nets with a best path. */
size_t rde_best_refeed(struct rde *rde);

/*
 * Locally originated ipv4-vpn / ipv6-vpn routes (rde_local.c): the VRF
 * routes this PE exports (RFC 4364 s4.3.1), sent to peers with ORIGIN IGP,
 * an empty AS_PATH, LOCAL_PREF 100, the given extended communities and
 * the session's own address as next hop (RFC 4364 s4.3.2).  Update
 * replaces; 0, or -1 (ENOMEM, EINVAL: another family).
 */
struct rde_local_vpn {
	enum bgp_fam fam; /* BGP_FAM_VPNV4 or BGP_FAM_VPNV6 */
	struct rd rd;
	struct prefix prefix;
	uint32_t label; /* label value */
	const struct ecomm *ecomms;
	size_t n_ecomms; /* at most 31 */
	/* export policy (set-local-pref, set-med; draft s5.3 active/standby):
	 * LOCAL_PREF 100 and no MED unless set */
	bool set_local_pref, set_med;
	uint32_t local_pref, med;
};
int rde_local_vpn_update(struct rde *rde, const struct rde_local_vpn *r);
void rde_local_vpn_withdraw(struct rde *rde, enum bgp_fam fam, const struct rd *rd,
			    const struct prefix *p);

/* ---- show model (docs/ctl-json.md) ---- */

/* "rib": prefixes of one family, optionally one prefix (text key as
 * bgp_nlri_fmt() prints it, or NULL), with all paths and why the best won. */
struct json_object *rde_show_rib(struct rde *rde, enum bgp_fam fam, const char *prefix);
/* Per-peer RIB counters for "show neighbors". */
struct json_object *rde_show_peer(struct rde *rde, rde_peer_id peer);
/* "stale": per family stale path counts of a peer (RFC 4724 helper). */
struct json_object *rde_gr_show_peer(struct rde *rde, rde_peer_id peer);
/* "rt-constraint": membership per peer and the default route. */
struct json_object *rde_show_rtc(struct rde *rde);
/* "memory": bytes and objects per type. */
struct json_object *rde_show_memory(struct rde *rde);

#endif
