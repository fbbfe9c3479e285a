/*
 * bgp_client: the smallest BGP session the benchmark generator needs: TCP
 * connect (with retries) or accept, OPEN / KEEPALIVE exchange (RFC 4271
 * s8, one family, 4-octet AS, route refresh), then a non-blocking socket
 * with a receive buffer that is split into messages, KEEPALIVEs sent every
 * hold time / 3, and NOTIFICATION on the way out.
 *
 * It is a load generator, not a BGP speaker: there is no FSM beyond the
 * handshake, no collision detection, and the peer's hold timer is not
 * enforced (a slow device under test must not be punished by the tool that
 * measures it).  Route refresh requests are ignored.
 *
 * Not for: vtopod's sessions; route contents (bgp_routes.h).
 */
#ifndef VTOPO_BENCH_BGP_CLIENT_H
#define VTOPO_BENCH_BGP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/rbuf.h"
#include "wire/bgp.h"

struct bgp_client_cfg {
	uint32_t local_as;
	uint32_t peer_as;   /* 0: accept any */
	uint32_t router_id; /* host order */
	uint16_t hold_time; /* proposed */
	enum bgp_fam fam;
};

struct bgp_client {
	int fd;
	struct bgp_client_cfg cfg;
	struct bgp_sess_params params; /* negotiated */
	uint16_t hold;		       /* negotiated hold time, 0: no keepalives */
	double next_ka;		       /* when the next KEEPALIVE is due */
	uint8_t *rx;
	size_t rx_len, rx_cap;
	uint8_t urgent[128]; /* KEEPALIVE / NOTIFICATION waiting to go */
	size_t urgent_len, urgent_off;
	uint8_t hs_msg[BGP_MAX_LEN]; /* the handshake's current message */
	uint64_t rx_updates;
	char err[160]; /* why the session ended */
};

/* CLOCK_MONOTONIC in seconds; the same clock in every network namespace. */
double bgp_client_now(void);

/* TCP to remote:179 from local (either may be NULL for "any"), retrying
 * refused connections until `deadline`.  Returns the fd or -1 (err set). */
int bgp_client_connect(const char *local, const char *remote, double deadline, char *err,
		       size_t errlen);
/* Listen on local:179 and accept one connection before `deadline`. */
int bgp_client_accept(const char *local, double deadline, char *err, size_t errlen);

/* Take over fd and run the handshake until Established or `deadline`.
 * Fails when the peer AS is wrong or the family was not negotiated. */
bool bgp_client_open(struct bgp_client *c, int fd, const struct bgp_client_cfg *cfg,
		     double deadline);

/*
 * Read what the socket has and hand every whole UPDATE body (the view
 * after the header, as bgp_hdr_split() gives it) to fn.  Returns 0, or -1
 * when the session is over (NOTIFICATION, EOF, bad message: c->err says).
 */
typedef bool (*bgp_client_update_fn)(void *ctx, struct rbuf *body);
int bgp_client_read(struct bgp_client *c, bgp_client_update_fn fn, void *ctx);

/* Queue a KEEPALIVE if one is due; returns the next deadline. */
double bgp_client_tick(struct bgp_client *c, double now);
/* Send queued KEEPALIVE/NOTIFICATION bytes; only call between messages.
 * Returns true when nothing is left queued, false when the socket is full
 * or broken (check c->fd < 0 after a hard error). */
bool bgp_client_flush(struct bgp_client *c);
bool bgp_client_pending(const struct bgp_client *c);
/* Non-blocking write of stream bytes; returns bytes written (0 when the
 * socket is full) or -1. */
long bgp_client_write(struct bgp_client *c, const uint8_t *p, size_t len);

/* Send a NOTIFICATION (best effort, a short blocking wait) and close. */
void bgp_client_close(struct bgp_client *c, uint8_t code, uint8_t subcode);

#endif
