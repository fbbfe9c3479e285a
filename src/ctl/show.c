/*
 * show: `vtopoctl show WHAT ...`: check the command line, ask the daemon
 * (ctl_client.c) and print its answer as JSON (-j) or as text (show_*.c).
 * The shape of the command line is checked here (usage errors, exit 2);
 * the values (family names, addresses, prefixes) by the daemon, whose
 * error is printed as is (exit 1).
 *
 * Not for: the socket, the text layouts.
 */
#include <getopt.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"
#include "ctl/ctl_client.h"
#include "ctl/show.h"

struct show_what {
	const char *name;
	int min_args, max_args; /* after the name; -1: any number */
};

static const struct show_what show_whats[] = {
    {"neighbors", 0, 1},	{"rib", 1, -1}, /* a FlowSpec key is several words */
    {"rt-constraint", 0, 0},	{"memory", 0, 0}, {"fib", 0, 1}, {"labels", 0, 0},
    {"service-topology", 0, 1}, {"attachments", 0, 0},
};

void cmd_show_usage(FILE *f)
{
	fprintf(f, "usage: vtopoctl [-j] [-s SOCKET] show [--pretty] WHAT\n"
		   "  Ask the running vtopod; print text, or its JSON with -j.\n"
		   "  neighbors [ADDRESS]     BGP neighbors (with ADDRESS: all about one)\n"
		   "  rib FAMILY [PREFIX]     routes of FAMILY, or one, with all their paths\n"
		   "  rt-constraint           RT-Constraint membership (RFC 4684)\n"
		   "  memory                  memory used, per object type\n"
		   "  fib [VRF]               per VRF, each prefix and how it is forwarded\n"
		   "  labels                  local MPLS labels and their action\n"
		   "  service-topology [NAME] hops and per-VRF chain state\n"
		   "  attachments             VM and CE interfaces (configured or `attach add`)\n"
		   "  --pretty                indent the JSON (with -j)\n"
		   "  PREFIX is written as `vtopoctl decode` prints it: 192.0.2.0/24,\n"
		   "  65000:1:192.0.2.0/24 (VPN), 65000:target:65000:1 (rtc), ...\n");
}

static void render(const struct ctl_ctx *ctx, const char *what, int nargs, struct json_object *data,
		   bool pretty)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	if (ctx->json) {
		flags |= pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
				: JSON_C_TO_STRING_PLAIN;
		printf("%s\n", json_object_to_json_string_ext(data, flags));
	} else if (strcmp(what, "neighbors") == 0) {
		show_neighbors_text(stdout, data, nargs == 1);
	} else if (strcmp(what, "rib") == 0) {
		show_rib_text(stdout, data);
	} else if (strcmp(what, "rt-constraint") == 0) {
		show_rtc_text(stdout, data);
	} else if (strcmp(what, "fib") == 0) {
		show_fib_text(stdout, data);
	} else if (strcmp(what, "labels") == 0) {
		show_labels_text(stdout, data);
	} else if (strcmp(what, "service-topology") == 0) {
		show_topology_text(stdout, data);
	} else if (strcmp(what, "attachments") == 0) {
		show_attachments_text(stdout, data);
	} else {
		show_memory_text(stdout, data);
	}
}

/* The request's args: WHAT, then the rest; a rib key of several words
 * (FlowSpec) is joined with single spaces. */
static size_t request_args(const char *what, int argc, char **argv, const char **args,
			   char **joined)
{
	size_t n = 0, len = 0;
	char *s;

	args[n++] = what;
	if (strcmp(what, "rib") != 0 || argc <= 2) {
		for (int i = 0; i < argc; i++)
			args[n++] = argv[i];
		return n;
	}
	args[n++] = argv[0];
	for (int i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = *joined = malloc(len);
	if (s == NULL)
		return 0;
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			*s++ = ' ';
		s = stpcpy(s, argv[i]);
	}
	args[n++] = *joined;
	return n;
}

static const struct option show_opts[] = {
    {"pretty", no_argument, NULL, 'p'},
    {"json", no_argument, NULL, 'j'},
    {NULL, 0, NULL, 0},
};

int cmd_show(const struct ctl_ctx *ctx0, int argc, char **argv)
{
	struct ctl_ctx ctx = *ctx0;
	const struct show_what *w = NULL;
	struct json_object *data = NULL;
	const char *args[4];
	char err[512], *joined = NULL;
	bool pretty = false;
	size_t nargs;
	int opt, status;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:j", show_opts, NULL)) != -1) {
		if (opt == 'p')
			pretty = true;
		else if (opt == 'j')
			ctx.json = true;
		else
			return ctl_usage_error(&ctx, "show", "unknown option '%s'",
					       argv[optind - 1]);
	}
	if (optind >= argc)
		return ctl_usage_error(&ctx, "show", "missing what to show");
	for (size_t i = 0; i < sizeof(show_whats) / sizeof(show_whats[0]); i++)
		if (strcmp(show_whats[i].name, argv[optind]) == 0)
			w = &show_whats[i];
	if (w == NULL)
		return ctl_usage_error(&ctx, "show", "unknown show command '%s'", argv[optind]);
	argc -= optind + 1;
	argv += optind + 1;
	if (argc < w->min_args)
		return ctl_usage_error(&ctx, "show", "'show %s' needs an argument", w->name);
	if (w->max_args >= 0 && argc > w->max_args)
		return ctl_usage_error(&ctx, "show", "unexpected argument '%s'", argv[w->max_args]);
	nargs = request_args(w->name, argc, argv, args, &joined);
	if (nargs == 0) {
		fprintf(stderr, "%s: out of memory\n", ctx.prog);
		return CTL_EXIT_INPUT;
	}
	switch (ctl_client_request(ctx.socket, "show", args, nargs, &data, err, sizeof(err))) {
	case CTL_CLIENT_OK:
		render(&ctx, w->name, argc, data, pretty);
		status = CTL_EXIT_OK;
		break;
	default:
		fprintf(stderr, "%s: %s\n", ctx.prog, err);
		status = CTL_EXIT_INPUT;
		break;
	}
	json_object_put(data);
	free(joined);
	return status;
}
