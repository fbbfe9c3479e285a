/*
 * vtopoctl: the command-line tool.  `vtopoctl [-j] [-s SOCKET] COMMAND ...`
 * looks COMMAND up in one table; each row names the function that runs it,
 * its usage and whether it talks to the daemon over the control socket
 * (`show` does; `decode` and `help` work offline).
 *
 * Not for: any command's logic (one file per command: decode.c, ...).
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctl/ctl.h"

struct ctl_cmd {
	const char *name;
	ctl_cmd_fn run;
	void (*usage)(FILE *f);
	const char *summary;
	bool daemon; /* needs the control socket */
};

static int cmd_help(const struct ctl_ctx *ctx, int argc, char **argv);
static void cmd_help_usage(FILE *f);

static const struct ctl_cmd ctl_cmds[] = {
    {"decode", cmd_decode, cmd_decode_usage,
     "decode BGP messages from a capture or hex text to JSON", false},
    {"show", cmd_show, cmd_show_usage,
     "ask the running vtopod: neighbors, rib, rt-constraint, memory, fib, attachments...", true},
    {"reload", cmd_reload, cmd_reload_usage,
     "the running vtopod reads its configuration file again", true},
    {"attach", cmd_attach, cmd_attach_usage,
     "a VM or CE interface comes up (add) or goes away (del) at run time", true},
    {"help", cmd_help, cmd_help_usage, "show the usage of vtopoctl or of a command", false},
};

#define N_CMDS (sizeof(ctl_cmds) / sizeof(ctl_cmds[0]))

static const struct ctl_cmd *cmd_find(const char *name)
{
	for (size_t i = 0; i < N_CMDS; i++)
		if (strcmp(ctl_cmds[i].name, name) == 0)
			return &ctl_cmds[i];
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vtopoctl [-j] [-s SOCKET] COMMAND [ARGS...]\n"
		"  -j, --json           JSON output\n"
		"  -s, --socket SOCKET  the daemon's control socket (default %s)\n"
		"  -h, --help           this text\n"
		"commands:\n",
		CTL_SOCKET_DEFAULT);
	for (size_t i = 0; i < N_CMDS; i++)
		fprintf(f, "  %-8s %s\n", ctl_cmds[i].name, ctl_cmds[i].summary);
	fprintf(f, "`vtopoctl help COMMAND` shows a command's arguments.\n");
}

int ctl_usage_error(const struct ctl_ctx *ctx, const char *cmd, const char *fmt, ...)
{
	const struct ctl_cmd *c = cmd ? cmd_find(cmd) : NULL;
	va_list ap;

	fprintf(stderr, "%s%s%s: ", ctx->prog, cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (c != NULL)
		c->usage(stderr);
	else
		usage(stderr);
	return CTL_EXIT_USAGE;
}

static void cmd_help_usage(FILE *f)
{
	fprintf(f, "usage: vtopoctl help [COMMAND]\n");
}

static int cmd_help(const struct ctl_ctx *ctx, int argc, char **argv)
{
	const struct ctl_cmd *c;

	if (argc > 2)
		return ctl_usage_error(ctx, "help", "unexpected argument '%s'", argv[2]);
	if (argc < 2) {
		usage(stdout);
		return CTL_EXIT_OK;
	}
	c = cmd_find(argv[1]);
	if (c == NULL)
		return ctl_usage_error(ctx, NULL, "unknown command '%s'", argv[1]);
	c->usage(stdout);
	return CTL_EXIT_OK;
}

static const struct option main_opts[] = {
    {"json", no_argument, NULL, 'j'},
    {"socket", required_argument, NULL, 's'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int main(int argc, char **argv)
{
	struct ctl_ctx ctx = {.prog = "vtopoctl", .socket = CTL_SOCKET_DEFAULT};
	const struct ctl_cmd *c;
	int opt;

	opterr = 0;
	/* '+': stop at the command; its options are its own */
	while ((opt = getopt_long(argc, argv, "+:js:h", main_opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			ctx.json = true;
			break;
		case 's':
			ctx.socket = optarg;
			break;
		case 'h':
			usage(stdout);
			return CTL_EXIT_OK;
		case ':':
			return ctl_usage_error(&ctx, NULL, "option '%s' needs an argument",
					       argv[optind - 1]);
		default:
			if (optopt != 0)
				return ctl_usage_error(&ctx, NULL, "unknown option '-%c'", optopt);
			return ctl_usage_error(&ctx, NULL, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return ctl_usage_error(&ctx, NULL, "missing command");
	c = cmd_find(argv[optind]);
	if (c == NULL)
		return ctl_usage_error(&ctx, NULL, "unknown command '%s'", argv[optind]);
	return c->run(&ctx, argc - optind, argv + optind);
}
