/*
 * attach: `vtopoctl attach add|del` tells the running vtopod that a VM or
 * CE interface came up or went away (draft s2: its PE exports, or
 * withdraws, a host route per address with the zone RT).  The words go to
 * the daemon as they are; it checks them (unknown VRF, bad address, name
 * taken, VPN family on no neighbor) and its error is printed (exit 1).
 *
 * Not for: the attachment itself (src/vtopod/vtopod_svc.c).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "ctl/ctl.h"
#include "ctl/ctl_client.h"
#include "ctl/show.h"

#define ATTACH_ARGS_MAX 16

void cmd_attach_usage(FILE *f)
{
	fprintf(f, "usage: vtopoctl [-j] [-s SOCKET] attach add NAME vrf VRF address ADDRESS\n"
		   "                [address ADDRESS ...] [interface IFNAME]\n"
		   "       vtopoctl [-j] [-s SOCKET] attach del NAME\n"
		   "  add: a VM or CE interface comes up in VRF; vtopod exports a host route\n"
		   "       per ADDRESS (A.B.C.D[/32] or X::[/128], up to 4) with the VRF's RD,\n"
		   "       export RTs and policy and a label of its label mode, and programs\n"
		   "       the FIB; IFNAME defaults to NAME\n"
		   "  del: it goes away; its host routes are withdrawn\n"
		   "  Added attachments survive a reload unless it removes their VRF;\n"
		   "  `vtopoctl show attachments` lists them\n");
}

int cmd_attach(const struct ctl_ctx *ctx, int argc, char **argv)
{
	const char *args[ATTACH_ARGS_MAX];
	struct json_object *data = NULL;
	char err[1024];
	int status = CTL_EXIT_OK;
	size_t n = 0;

	if (argc > 1 && strcmp(argv[1], "-j") == 0) {
		struct ctl_ctx c = *ctx;

		c.json = true;
		return cmd_attach(&c, argc - 1, argv + 1);
	}
	if (argc < 2)
		return ctl_usage_error(ctx, "attach", "missing add or del");
	if (strcmp(argv[1], "add") != 0 && strcmp(argv[1], "del") != 0)
		return ctl_usage_error(ctx, "attach", "unknown attach command '%s'", argv[1]);
	if (argc < 3)
		return ctl_usage_error(ctx, "attach", "missing NAME");
	if (strcmp(argv[1], "del") == 0 && argc > 3)
		return ctl_usage_error(ctx, "attach", "unexpected argument '%s'", argv[3]);
	if (argc - 1 > ATTACH_ARGS_MAX)
		return ctl_usage_error(ctx, "attach", "too many arguments");
	for (int i = 1; i < argc; i++)
		args[n++] = argv[i];
	switch (ctl_client_request(ctx->socket, "attach", args, n, &data, err, sizeof(err))) {
	case CTL_CLIENT_OK:
		if (ctx->json)
			printf("%s\n",
			       json_object_to_json_string_ext(
				   data, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		else
			show_attachment_text(stdout, data);
		break;
	default:
		fprintf(stderr, "%s: %s\n", ctx->prog, err);
		status = CTL_EXIT_INPUT;
		break;
	}
	json_object_put(data);
	return status;
}
