/*
 * rde_gr: the receiving side of BGP graceful restart (RFC 4724 s4.2,
 * helper mode): stale marking of a restarting peer's paths, their removal
 * at End-of-RIB, when a family loses its F bit or when a timer expires.
 *
 * The session layer decides when a loss is graceful (the capability was
 * negotiated; the loss was a TCP failure or hold timer, not a
 * NOTIFICATION: RFC 8538 is not implemented) and owns the restart and
 * stale-path timers.  Stale paths stay ordinary candidates of the decision
 * process (s4.2 leaves it to the implementation); nothing is withdrawn
 * towards other peers while they are kept.
 *
 * Not for: the restarting speaker's side (vtopod keeps no forwarding
 * state across its own restart, so it never sets the R or F bits).
 */
#include "rde/rde_int.h"

#include <json-c/json.h>

/* Mark every path of the peer in the family stale.  One pass over the
 * family's nets, done at once: a path re-announced by the next session
 * must never be marked, so the mark cannot trail behind it. */
static void gr_mark_fam(struct rde *rde, struct rde_peer *p, enum bgp_fam fam)
{
	struct rib *rib = &rde->ribs[fam];

	for (uint32_t idx = 1; idx < rib_net_top(rib) && p->n_stale[fam] < p->n_paths[fam]; idx++) {
		const struct rib_net *net = rib_net_at(rib, idx);

		if (!(net->flags & RIB_NET_USED))
			continue;
		for (uint32_t pi = net->paths; pi; pi = rde_path(rde, pi)->next) {
			struct rib_path *rp = rde_path(rde, pi);

			if (rp->peer == p->id && !(rp->flags & RIB_PATH_STALE)) {
				rp->flags |= RIB_PATH_STALE;
				p->n_stale[fam]++;
			}
		}
	}
}

void rde_gr_flush_start(struct rde *rde, struct rde_peer *p, uint32_t fams)
{
	(void)rde;
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		uint32_t bit = bgp_fam_bit(f);

		if (!(fams & bit) || !p->n_stale[f])
			continue;
		if ((p->flush_fams & bit) && !(p->flush_stale & bit))
			continue; /* every path of the family goes already */
		p->flush_fams |= bit;
		p->flush_stale |= bit;
		if (!p->flushing || f < p->flush_fam) {
			/* start (again) from the first family: walks are
			 * idempotent, and this one is behind the cursor */
			p->flushing = true;
			p->flush_fam = 0;
			p->flush_cursor = 1;
		}
	}
}

void rde_gr_eor(struct rde *rde, struct rde_peer *p, enum bgp_fam fam)
{
	/* RFC 4724 s4.2: "Once the End-of-RIB marker for an address family
	 * is received from the peer, it MUST immediately remove any routes
	 * from the peer that are still marked as stale for that address
	 * family." */
	if (fam < 0 || fam >= BGP_FAM_COUNT || !p->n_stale[fam])
		return;
	rde_gr_flush_start(rde, p, bgp_fam_bit(fam));
	/* RT membership must be settled before the VPN routes are released
	 * (RFC 4684 s6), and RT-Constraint tables are small */
	if (fam == BGP_FAM_RTC)
		rde_flush_now(rde, p);
}

void rde_peer_down_gr(struct rde *rde, rde_peer_id id, uint32_t keep)
{
	struct rde_peer *p = rde_peer_get(rde, id);

	if (!p || !p->up)
		return;
	keep &= p->sp.fams & ~p->disabled;
	rde_flush_now(rde, p); /* a pending stale flush of the last restart */
	export_peer_stop(rde, p);
	p->up = false;
	/* the RT membership this peer sent stays with its stale RTC paths */
	if (!(keep & bgp_fam_bit(BGP_FAM_RTC)))
		rtc_set_clear(&p->rtc);
	for (int f = 0; f < BGP_FAM_COUNT; f++)
		if (keep & bgp_fam_bit(f))
			gr_mark_fam(rde, p, (enum bgp_fam)f);
	p->gr_fams = keep;
	p->flush_stale = 0;
	p->flush_fams = ~keep;
	p->flushing = true;
	p->flush_fam = 0;
	p->flush_cursor = 1;
}

void rde_gr_peer_up(struct rde *rde, rde_peer_id id, uint32_t keep)
{
	struct rde_peer *p = rde_peer_get(rde, id);

	if (!p)
		return;
	/* s4.2: a family not listed again, or listed without the F bit,
	 * loses its stale paths at once */
	rde_gr_flush_start(rde, p, ~(keep & p->sp.fams));
}

void rde_gr_flush(struct rde *rde, rde_peer_id id, uint32_t fams)
{
	struct rde_peer *p = rde_peer_get(rde, id);

	if (p)
		rde_gr_flush_start(rde, p, fams);
}

uint64_t rde_gr_stale_count(struct rde *rde, rde_peer_id id)
{
	const struct rde_peer *p = rde_peer_get(rde, id);
	uint64_t n = 0;

	for (int f = 0; p && f < BGP_FAM_COUNT; f++)
		n += p->n_stale[f];
	return n;
}

bool rde_peer_eor_all(struct rde *rde, rde_peer_id id)
{
	const struct rde_peer *p = rde_peer_get(rde, id);
	uint32_t want;

	if (!p || !p->up)
		return false;
	want = p->sp.fams & ~p->disabled;
	return (p->eor_rcvd & want) == want;
}

struct json_object *rde_gr_show_peer(struct rde *rde, rde_peer_id id)
{
	const struct rde_peer *p = rde_peer_get(rde, id);
	struct json_object *o = json_object_new_object();

	for (int f = 0; p && o && f < BGP_FAM_COUNT; f++)
		if (p->n_stale[f])
			json_object_object_add(o, bgp_fam_table[f].name,
					       json_object_new_int64(p->n_stale[f]));
	return o;
}
