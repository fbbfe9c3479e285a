/*
 * rde_int: the RDE's own state, shared by its files (rde.c, export.c,
 * rde_show.c).  Nothing outside src/rde includes this.
 */
#ifndef VTOPO_RDE_INT_H
#define VTOPO_RDE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "rde/attrset.h"
#include "rde/decision.h"
#include "rde/intern.h"
#include "rde/rde.h"
#include "rde/rib.h"
#include "rde/rtc.h"
#include "rde/slab.h"
#include "wire/bgp.h"
#include "wire/nlri.h"

#define RDE_BATCH 1024
#define RDE_QUEUE_SPILL 16384 /* queue entries per peer before the pend scan */
#define RDE_REF_FAM_SHIFT 28  /* queue entries: family << 28 | net index */
#define RDE_NET_MAX ((1u << RDE_REF_FAM_SHIFT) - 1)

enum rde_walk_state { WALK_NONE, WALK_PENDING, WALK_ACTIVE };
enum rde_walk_mode {
	WALK_FULL,   /* send every route that passes the filter (dump, refresh) */
	WALK_REEVAL, /* send only where the filter's answer changed (RTC) */
};

struct rde_walk {
	uint8_t state;
	uint8_t mode;
	bool eor;	  /* End-of-RIB when done (initial dump, RFC 4724 s2) */
	bool reeval_next; /* membership changed during a full walk */
	uint32_t cursor;
};

struct rde_bits {
	uint64_t *w;
	uint32_t nwords;
};

enum export_kind { EXP_WITHDRAW, EXP_ANNOUNCE, EXP_EOR, EXP_NONE };

struct export_item {
	uint32_t net;
	uint8_t fam;
	uint8_t kind; /* sort hint; re-resolved when sent */
	bool reeval;
	uint16_t src;
	uint32_t attrs, nh;
};

struct rde_peer {
	rde_peer_id id;
	struct rde_peer_config cfg;
	char *name;
	bool up;
	bool ibgp;
	struct bgp_sess_params sp;
	uint32_t remote_bgp_id;
	struct ipaddr local_addr;
	uint32_t nh_self;  /* next hop id of local_addr */
	uint32_t disabled; /* families disabled (RFC 7606 s2 AFI/SAFI disable) */
	uint32_t eor_rcvd; /* End-of-RIB received, per family */
	bool rtc_released; /* VPN families may be sent (RFC 4684 s6) */
	bool eor_sent_all;
	struct rtc_set rtc; /* RT membership received from this peer */
	/* counters */
	uint32_t n_paths[BGP_FAM_COUNT];
	uint32_t n_adv[BGP_FAM_COUNT];
	uint64_t n_best[BGP_FAM_COUNT];
	uint64_t rx_updates, rx_prefixes, rx_withdraws, rx_rejected, rx_ignored;
	uint64_t tx_updates, tx_prefixes, tx_withdraws;
	/* Adj-RIB-Out: one bit per net (advertised), one per queued net */
	struct rde_bits adv[BGP_FAM_COUNT], pend[BGP_FAM_COUNT];
	uint32_t *queue;
	uint32_t qhead, qlen, qcap;
	/* The queue spilled (grew past RDE_QUEUE_SPILL): changed nets are
	 * only marked in pend and found by a scan of the pend bits. */
	bool spill;
	bool spill_again; /* a net behind the scan was marked: scan again */
	uint8_t spill_fam;
	uint32_t spill_cursor;
	struct rde_walk walk[BGP_FAM_COUNT];
	struct export_item *batch;
	uint32_t bpos, blen;
	/* Adj-RIB-In flush after the session went down */
	bool flushing;
	uint32_t flush_fams;
	uint8_t flush_fam;
	uint32_t flush_cursor;
	/* RFC 4724 helper: families flushed stale paths only; stale counts */
	uint32_t flush_stale;
	uint32_t gr_fams; /* families whose paths were kept at the last loss */
	uint32_t n_stale[BGP_FAM_COUNT];
};

struct enc_cache {
	bool valid;
	uint32_t attrs, attrs_gen, src_bgp_id;
	uint8_t src_class, dst_ebgp, dst_as4;
	uint16_t len_a, len_b, len_c; /* types < 3, 4..13, > 15 */
	uint8_t *buf;
	size_t cap;
};
#define RDE_ENC_CACHE 16

enum rde_src_class { SRC_LOCAL, SRC_EBGP, SRC_IBGP };

struct rde {
	struct rde_config cfg;
	struct decision_cfg dcfg;
	rde_send_fn send;
	rde_room_fn room;
	void *ctx;
	struct rde_peer **peers; /* by id */
	uint32_t npeers;
	uint32_t rr_next; /* round robin over peers in rde_work */
	uint64_t units;	  /* work done, rde_work_units() */
	uint32_t now;	  /* rde_now() at the start of the current UPDATE */
	struct rib ribs[BGP_FAM_COUNT];
	struct slab paths;
	struct attrset_table attrs;
	struct intern *nexthops; /* struct ipaddr bytes */
	struct intern *labels;	 /* raw 24-bit entries, 4 bytes each */
	uint32_t local_attrs;	 /* ORIGIN IGP, empty AS_PATH */
	struct bgp_nlri *rtc_local;
	size_t n_rtc_local;
	uint8_t *msg; /* one outgoing message */
	struct enc_cache cache[RDE_ENC_CACHE];
	rde_best_fn best_fn; /* rde_sub.c */
	void *best_ctx;
	uint32_t *cand_paths; /* decision scratch */
	struct decision_cand *cands;
	enum decision_step *steps;
	size_t cand_cap;
};

static inline struct rde_peer *rde_peer_get(const struct rde *rde, rde_peer_id id)
{
	return id && id < rde->npeers ? rde->peers[id] : NULL;
}
static inline struct rib_path *rde_path(const struct rde *rde, uint32_t idx)
{
	return slab_at(&rde->paths, idx);
}
static inline bool bits_get(const struct rde_bits *b, uint32_t i)
{
	return (i >> 6) < b->nwords && (b->w[i >> 6] >> (i & 63)) & 1;
}

/* rde.c */
uint32_t rde_now(void);
bool rde_fam_up(const struct rde_peer *p, enum bgp_fam f);
void rde_decision_cands(struct rde *rde, enum bgp_fam fam, uint32_t net, size_t *n);
void rde_net_maybe_free(struct rde *rde, enum bgp_fam fam, uint32_t idx);
void rde_path_labels(const struct rde *rde, const struct rib_path *p, struct label_stack *ls);
void rde_path_nh(const struct rde *rde, const struct rib_path *p, struct ipaddr *nh);

void rde_flush_now(struct rde *rde, struct rde_peer *p);

/* rde_gr.c */
void rde_gr_eor(struct rde *rde, struct rde_peer *p, enum bgp_fam fam);
void rde_gr_flush_start(struct rde *rde, struct rde_peer *p, uint32_t fams);

/* export.c */
int export_bits_set(struct rde_bits *b, uint32_t i);
void export_bits_clear(struct rde_bits *b, uint32_t i);
/* rde.c: a path of peer p (RDE_PEER_NONE: local) comes or goes */
bool nlri_announce(struct rde *rde, struct rde_peer *p, const struct bgp_nlri *n, uint32_t attrs,
		   uint32_t nh, struct bgp_verdict *v);
void nlri_withdraw(struct rde *rde, struct rde_peer *p, const struct bgp_nlri *n);
/* rde_sub.c: report the net's best path to the subscriber */
void rde_sub_net_changed(struct rde *rde, enum bgp_fam fam, uint32_t idx);
void export_net_changed(struct rde *rde, enum bgp_fam fam, uint32_t net, bool had_best);
/* An RTC net's best path stayed, another path changed: the peers that
 * cannot have the best path (they get the best of the others) re-resolve. */
void export_rtc_others_changed(struct rde *rde, uint32_t net);
void export_peer_start(struct rde *rde, struct rde_peer *p);
void export_peer_stop(struct rde *rde, struct rde_peer *p);
void export_rtc_changed(struct rde *rde, struct rde_peer *p);
void export_refresh(struct rde *rde, struct rde_peer *p, enum bgp_fam fam);
void export_release_vpn(struct rde *rde, struct rde_peer *p);
/* Work for one peer; returns units used. */
unsigned export_peer_work(struct rde *rde, struct rde_peer *p, unsigned budget, bool *more);
size_t export_bytes(const struct rde *rde);

#endif
