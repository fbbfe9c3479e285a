/*
 * json: render decoded BGP messages as JSON (json-c objects); the schema is
 * documented in docs/decode-json.md.  One function per message kind plus
 * bgp_msg_to_json() that dispatches on the header.
 *
 * Not for: decoding (that is done by the wire modules this calls).
 */
#ifndef VTOPO_WIRE_JSON_H
#define VTOPO_WIRE_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "wire/bgp.h"
#include "wire/msg.h"
#include "wire/nlri.h"
#include "wire/update.h"
#include "wire/verdict.h"

struct json_object;

/* A whole message (header included).  Always returns an object; a message
 * that does not decode gets "verdict" with action, error name, code,
 * subcode, attribute and the offending bytes as hex.  p NULL: the
 * defaults of bgp_sess_params_default(). */
struct json_object *bgp_msg_to_json(const uint8_t *msg, size_t len,
				    const struct bgp_sess_params *p);

struct json_object *bgp_open_to_json(const struct bgp_open *o);
struct json_object *bgp_notify_to_json(const struct bgp_notify *n);
struct json_object *bgp_refresh_to_json(const struct bgp_refresh *r);
struct json_object *bgp_update_to_json(const struct bgp_update *u, const struct bgp_sess_params *p);
struct json_object *bgp_nlri_to_json(const struct bgp_nlri *n);
struct json_object *bgp_verdict_to_json(const struct bgp_verdict *v, const uint8_t *msg);

#endif
