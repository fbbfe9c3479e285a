/*
 * ctl: what vtopoctl's commands share: the global options and the command
 * signature of the dispatch table in vtopoctl.c.
 *
 * Not for: talking to the daemon (ctl_client.h), rendering (show.h).
 */
#ifndef VTOPO_CTL_H
#define VTOPO_CTL_H

#include <stdbool.h>
#include <stdio.h>

/* Exit statuses of every command. */
#define CTL_EXIT_OK 0
#define CTL_EXIT_INPUT 1 /* ran to the end, but some input was bad */
#define CTL_EXIT_USAGE 2 /* bad command line */

#define CTL_SOCKET_DEFAULT "/run/vtopo/vtopod.sock"

struct ctl_ctx {
	const char *prog;   /* argv[0] basename, for messages */
	bool json;	    /* -j */
	const char *socket; /* -s, the daemon's control socket */
};

/* A command gets its own argv (argv[0] is the command name). */
typedef int (*ctl_cmd_fn)(const struct ctl_ctx *ctx, int argc, char **argv);

/* Print a usage error ("vtopoctl decode: unknown option '--x'") and the
 * command's usage on stderr; returns CTL_EXIT_USAGE. */
int ctl_usage_error(const struct ctl_ctx *ctx, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

int cmd_decode(const struct ctl_ctx *ctx, int argc, char **argv);
void cmd_decode_usage(FILE *f);
int cmd_show(const struct ctl_ctx *ctx, int argc, char **argv);
void cmd_show_usage(FILE *f);
int cmd_reload(const struct ctl_ctx *ctx, int argc, char **argv);
void cmd_reload_usage(FILE *f);
int cmd_attach(const struct ctl_ctx *ctx, int argc, char **argv);
void cmd_attach_usage(FILE *f);

#endif
