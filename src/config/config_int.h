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

#endif
