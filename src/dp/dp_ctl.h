/* dp_ctl: the FIB protocol server on vtopo-dp's Unix socket. */
#ifndef VTOPO_DP_CTL_H
#define VTOPO_DP_CTL_H

#include "core/ev.h"
#include "dp/dp_fwd.h"

struct dp_ctl {
	struct dp_ctx *dp;
	int fd;
	struct ev_io *io;
	struct ctl_conn *conns;
};

int dp_ctl_open(struct dp_ctl *ctl, struct dp_ctx *dp, const char *path);
void dp_ctl_close(struct dp_ctl *ctl);

#endif
