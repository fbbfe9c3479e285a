/*
 * config_int: what the files of src/config share and nobody else sees.
 *
 * Not for: callers of the configuration (use config.h).
 */
#ifndef VTOPO_CONFIG_INT_H
#define VTOPO_CONFIG_INT_H

#include <libyang/libyang.h>

#include "config/config.h"

#define CONFIG_MODULE "vtopo"

/* Append {path, printf(fmt...)}; past CONFIG_MAX_ERRORS it records one
 * "too many errors" entry and then drops the rest.  Returns -1 so that
 * callers can write "return config_err(...)". */
int config_err(struct config_errors *errs, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool config_errors_full(const struct config_errors *errs);
/* Same, at the data path of node, followed by "/rel" when rel is not NULL. */
int config_err_node(struct config_errors *errs, const struct lyd_node *node, const char *rel,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Reading a validated tree (config_build.c).  The node at relative path
 * rel from from, or NULL; a leaf's canonical value, or NULL; a number or
 * boolean leaf's value (0 / false when n is NULL); strdup() of s or NULL. */
const struct lyd_node *config_node_at(const struct lyd_node *from, const char *rel);
const char *config_str(const struct lyd_node *n);
uint64_t config_num(const struct lyd_node *n);
bool config_bool(const struct lyd_node *n);
char *config_strdup(const char *s);
/* The first child of parent called name, the next sibling of c called
 * name (list entries and leaf-list values); the number of them. */
const struct lyd_node *config_first(const struct lyd_node *parent, const char *name);
const struct lyd_node *config_next(const struct lyd_node *c, const char *name);
size_t config_count(const struct lyd_node *parent, const char *name);

/* Parse the JSON file at path and validate it against module vtopo in ctx.
 * Every libyang error is recorded; the scan goes on after an error by
 * removing the offending node and trying again.  Returns 0 with *tree set
 * (validated, defaults added) only when there was no error. */
int config_yang_read(struct ly_ctx *ctx, const char *path, struct lyd_node **tree,
		     struct config_errors *errs);

/* Build the resolved struct from a valid tree: peer-group inheritance,
 * defaults, and the checks the model cannot express.  May add nodes to
 * tree (implicit families).  Returns 0, or -1 with errors recorded. */
int config_build(struct lyd_node *tree, struct config **out, struct config_errors *errs);

/* network-instances -> cfg->vrfs, with the checks within one VRF
 * (config_vrf.c). */
int config_vrfs_read(struct config *cfg, const struct lyd_node *top, struct config_errors *errs);
void config_vrf_free(struct config_vrf *v);

/* service-nodes and service-topologies -> cfg, then the checks across
 * VRFs, service nodes and topologies (config_svc.c). */
int config_svc_read(struct config *cfg, const struct lyd_node *top, struct config_errors *errs);
int config_svc_check(const struct config *cfg, struct config_errors *errs);
void config_svc_free(struct config *cfg);

#endif
