/* dp_io: AF_PACKET attachments and the MPLS-in-UDP underlay socket. */
#ifndef VTOPO_DP_IO_H
#define VTOPO_DP_IO_H

#include "core/ev.h"
#include "dp/dp_fwd.h"

/* Open the underlay socket and hook interface add/remove into the state. */
int dp_io_init(struct dp_ctx *dp, struct ev_timer *retry);
void dp_io_fini(struct dp_ctx *dp, struct ev_timer *retry);

#endif
