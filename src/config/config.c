/*
 * config: the entry points of the configuration loader (config_load,
 * config_free), the error list, and the name tables of the model's
 * enumerations.
 *
 * Not for: parsing (config_yang.c), resolving (config_build.c) or printing
 * (config_dump.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"

#ifndef VTOPO_YANG_DIR
#define VTOPO_YANG_DIR "/usr/local/share/vtopo/yang"
#endif

/* Order of enum config_afi_safi == order of typedef afi-safi-name. */
static const char *const afi_safi_names[CONFIG_AFI_SAFI_COUNT] = {
    "ipv4-unicast",
    "ipv6-unicast",
    "ipv4-labeled-unicast",
    "ipv6-labeled-unicast",
    "ipv4-vpn",
    "ipv6-vpn",
    "rtc",
    "ipv4-flowspec",
    "ipv6-flowspec",
    "ipv4-vpn-flowspec",
    "ipv6-vpn-flowspec",
};

/* Order of enum config_log_level == order of typedef log-level. */
static const char *const log_level_names[] = {
    "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
};

#define N_LOG_LEVELS (sizeof(log_level_names) / sizeof(log_level_names[0]))

/* The model's enumerations, in model order (== enum order). */
static const char *const label_mode_names[] = {"per-vrf", "per-prefix", "per-nexthop"};
static const char *const rt_type_names[] = {NULL, "import", "export", "both"};
static const char *const svc_label_names[] = {"direct", "aggregate"};
static const char *const hash_mode_names[] = {"5tuple", "symmetric"};

#define NAME_OF(table, v) ((unsigned)(v) < sizeof(table) / sizeof(table[0]) ? table[v] : NULL)

const char *config_label_mode_name(enum config_label_mode m)
{
	return NAME_OF(label_mode_names, m);
}

const char *config_rt_type_name(enum config_rt_type t)
{
	return NAME_OF(rt_type_names, t);
}

const char *config_svc_label_name(enum config_svc_label m)
{
	return NAME_OF(svc_label_names, m);
}

const char *config_hash_mode_name(enum config_hash_mode m)
{
	return NAME_OF(hash_mode_names, m);
}

long config_vrf_find(const struct config *cfg, const char *name)
{
	for (size_t i = 0; name && i < cfg->n_vrfs; i++)
		if (!strcmp(cfg->vrfs[i].name, name))
			return (long)i;
	return -1;
}

const char *config_afi_safi_name(enum config_afi_safi f)
{
	return (unsigned)f < CONFIG_AFI_SAFI_COUNT ? afi_safi_names[f] : NULL;
}

int config_afi_safi_from_name(const char *name)
{
	for (int i = 0; name && i < CONFIG_AFI_SAFI_COUNT; i++)
		if (!strcmp(afi_safi_names[i], name))
			return i;
	return -1;
}

const char *config_log_level_name(enum config_log_level l)
{
	return (unsigned)l < N_LOG_LEVELS ? log_level_names[l] : NULL;
}

int config_log_level_from_name(const char *name)
{
	for (size_t i = 0; name && i < N_LOG_LEVELS; i++)
		if (!strcmp(log_level_names[i], name))
			return (int)i;
	return -1;
}

void config_errors_init(struct config_errors *errs)
{
	memset(errs, 0, sizeof(*errs));
}

void config_errors_clear(struct config_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++) {
		free(errs->v[i].path);
		free(errs->v[i].reason);
	}
	free(errs->v);
	config_errors_init(errs);
}

bool config_errors_full(const struct config_errors *errs)
{
	return errs->n >= CONFIG_MAX_ERRORS;
}

static void errors_push(struct config_errors *errs, const char *path, const char *reason)
{
	struct config_error *e;

	if (errs->n == errs->cap) {
		size_t cap = errs->cap ? errs->cap * 2 : 8;
		struct config_error *v = realloc(errs->v, cap * sizeof(*v));

		if (!v)
			return;
		errs->v = v;
		errs->cap = cap;
	}
	e = &errs->v[errs->n];
	e->path = strdup(path);
	e->reason = strdup(reason);
	if (!e->path || !e->reason) {
		free(e->path);
		free(e->reason);
		return;
	}
	errs->n++;
}

int config_err_node(struct config_errors *errs, const struct lyd_node *node, const char *rel,
		    const char *fmt, ...)
{
	char msg[1024], *path = node ? lyd_path(node, LYD_PATH_STD, NULL, 0) : NULL, *full = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (path && rel && asprintf(&full, "%s/%s", path, rel) < 0)
		full = NULL;
	config_err(errs, full ? full : path ? path : "", "%s", msg);
	free(full);
	free(path);
	return -1;
}

int config_err(struct config_errors *errs, const char *path, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (errs->n >= CONFIG_MAX_ERRORS)
		return -1;
	if (errs->n == CONFIG_MAX_ERRORS - 1) {
		errors_push(errs, "", "too many errors, giving up");
		return -1;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	errors_push(errs, path, msg);
	return -1;
}

static struct ly_ctx *ctx_new(const char *yang_dir, struct config_errors *errs)
{
	struct ly_ctx *ctx = NULL;
	const struct ly_err_item *e;

	if (ly_ctx_new(yang_dir, LY_CTX_NO_YANGLIBRARY | LY_CTX_DISABLE_SEARCHDIR_CWD, &ctx) !=
	    LY_SUCCESS) {
		config_err(errs, "", "cannot create a YANG context for %s", yang_dir);
		ctx = NULL;
		goto out;
	}
	if (!ly_ctx_load_module(ctx, CONFIG_MODULE, NULL, NULL)) {
		e = ly_err_last(ctx);
		config_err(errs, "", "cannot load YANG module %s from %s: %s", CONFIG_MODULE,
			   yang_dir, e && e->msg ? e->msg : "not found");
		ly_ctx_destroy(ctx);
		ctx = NULL;
	}
out:
	return ctx;
}

int config_load_dir(const char *path, const char *yang_dir, struct config **out,
		    struct config_errors *errs)
{
	/* libyang must store its errors, not print them.  The thread-local
	 * ly_temp_log_options() would be the right tool, but libyang 2.1.30's
	 * union type plugin resets it in the middle of a parse, so the
	 * process-wide option is switched for the duration of the load. */
	uint32_t log_prev = ly_log_options(LY_LOSTORE);
	struct ly_ctx *ctx = ctx_new(yang_dir ? yang_dir : VTOPO_YANG_DIR, errs);
	struct lyd_node *tree = NULL;
	int r = -1;

	*out = NULL;
	if (ctx && config_yang_read(ctx, path, &tree, errs) == 0)
		r = config_build(tree, out, errs);
	lyd_free_all(tree);
	ly_ctx_destroy(ctx);
	ly_log_options(log_prev);
	return r;
}

int config_load(const char *path, struct config **out, struct config_errors *errs)
{
	return config_load_dir(path, NULL, out, errs);
}

void config_free(struct config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n_neighbors; i++) {
		free(cfg->neighbors[i].peer_group);
		free(cfg->neighbors[i].description);
		free(cfg->neighbors[i].auth_password);
	}
	free(cfg->neighbors);
	for (size_t i = 0; i < cfg->n_vrfs; i++)
		config_vrf_free(&cfg->vrfs[i]);
	free(cfg->vrfs);
	config_svc_free(cfg);
	free(cfg->listen);
	free(cfg->pe_addresses);
	free(cfg->control_socket);
	free(cfg->log_file);
	free(cfg);
}
