/*
 * reload: `vtopoctl reload` asks the running vtopod to read its
 * configuration file again (docs/vtopoctl.md).  Prints what changed, or
 * the daemon's reasons for refusing the file (exit status 1).
 *
 * Not for: the reload itself (src/vtopod/reload.c).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "ctl/ctl.h"
#include "ctl/ctl_client.h"
#include "ctl/show.h"

void cmd_reload_usage(FILE *f)
{
	fprintf(f, "usage: vtopoctl [-j] reload\n"
		   "  read vtopod's configuration file again and apply the changes;\n"
		   "  a bad file is refused whole and nothing changes\n");
}

static void print_list(struct json_object *nbs, const char *key, const char *label)
{
	struct json_object *a;
	char buf[1024];

	if (json_object_object_get_ex(nbs, key, &a) && json_object_array_length(a))
		printf("%s: %s\n", label, show_join(a, " ", buf, sizeof(buf)));
}

/* run-time attachments the reload withdrew (their VRF went) or brought back */
static void print_attachments(struct json_object *a)
{
	size_t n = a ? json_object_array_length(a) : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		const char *name = show_str(e, "name"), *st = show_str(e, "state"),
			   *why = show_str(e, "reason");

		printf("attachment %s %s%s%s\n", name ? name : "-", st ? st : "-", why ? ": " : "",
		       why ? why : "");
	}
}

int cmd_reload(const struct ctl_ctx *ctx, int argc, char **argv)
{
	struct json_object *data = NULL, *nbs = NULL;
	char err[1024], buf[1024];
	int status = CTL_EXIT_OK;

	if (argc > 1 && strcmp(argv[1], "-j") == 0) {
		struct ctl_ctx c = *ctx;

		c.json = true;
		return cmd_reload(&c, argc - 1, argv + 1);
	}
	if (argc > 1)
		return ctl_usage_error(ctx, "reload", "unexpected argument '%s'", argv[1]);
	switch (ctl_client_request(ctx->socket, "reload", NULL, 0, &data, err, sizeof(err))) {
	case CTL_CLIENT_OK:
		if (ctx->json) {
			printf("%s\n",
			       json_object_to_json_string_ext(data, JSON_C_TO_STRING_PLAIN));
			break;
		}
		printf("configuration reloaded\n");
		json_object_object_get_ex(data, "neighbors", &nbs);
		print_list(nbs, "added", "neighbors added");
		print_list(nbs, "removed", "neighbors removed");
		print_list(nbs, "reset", "neighbors with a new session");
		print_list(nbs, "updated", "neighbors updated");
		printf("route targets: %s\n",
		       show_join(show_arr(data, "route_targets"), " ", buf, sizeof(buf)));
		print_attachments(show_arr(data, "attachments"));
		break;
	default:
		fprintf(stderr, "%s: %s\n", ctx->prog, err);
		status = CTL_EXIT_INPUT;
		break;
	}
	json_object_put(data);
	return status;
}
