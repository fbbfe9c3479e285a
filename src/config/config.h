/*
 * config: vtopod's configuration, loaded from JSON instance data (RFC 7951)
 * of the YANG module 'vtopo' (yang/vtopo.yang) and validated with libyang.
 *
 * config_load() either returns a fully resolved struct config (peer-group
 * inheritance applied, every default filled in) or rejects the file whole
 * and lists every problem it found as {YANG data path, reason}.
 *
 * Not for: applying a configuration to a running daemon (diffing, reload),
 * or the runtime state of sessions.
 */
#ifndef VTOPO_CONFIG_H
#define VTOPO_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/prefix.h"

/* Address families, in the order of typedef afi-safi-name in the model. */
enum config_afi_safi {
	CONFIG_AFI_SAFI_IPV4_UNICAST,
	CONFIG_AFI_SAFI_IPV6_UNICAST,
	CONFIG_AFI_SAFI_IPV4_LABELED_UNICAST,
	CONFIG_AFI_SAFI_IPV6_LABELED_UNICAST,
	CONFIG_AFI_SAFI_IPV4_VPN,
	CONFIG_AFI_SAFI_IPV6_VPN,
	CONFIG_AFI_SAFI_RTC,
	CONFIG_AFI_SAFI_IPV4_FLOWSPEC,
	CONFIG_AFI_SAFI_IPV6_FLOWSPEC,
	CONFIG_AFI_SAFI_IPV4_VPN_FLOWSPEC,
	CONFIG_AFI_SAFI_IPV6_VPN_FLOWSPEC,
	CONFIG_AFI_SAFI_COUNT
};

/* Syslog severities (RFC 5424 s6.2.1); the value is the syslog number. */
enum config_log_level {
	CONFIG_LOG_EMERG,
	CONFIG_LOG_ALERT,
	CONFIG_LOG_CRIT,
	CONFIG_LOG_ERR,
	CONFIG_LOG_WARNING,
	CONFIG_LOG_NOTICE,
	CONFIG_LOG_INFO,
	CONFIG_LOG_DEBUG,
};

struct config_listen {
	struct ipaddr address; /* 0.0.0.0 or :: = every address of the family */
	uint16_t port;
};

struct config_family {
	enum config_afi_safi name;
	bool enabled;
	bool add_paths_receive;
	bool add_paths_send;
	uint32_t max_prefixes; /* 0 = no limit */
	uint8_t warning_threshold_pct;
	uint16_t restart_timer; /* seconds; 0 = stay down */
};

/* A neighbor with its peer group's settings and the model's defaults
 * already applied: every field is final. */
struct config_neighbor {
	struct ipaddr address;
	char *peer_group; /* name, or NULL */
	uint32_t remote_as;
	char *description;	     /* or NULL */
	struct ipaddr local_address; /* afi 0 = unset */
	uint16_t port;
	bool passive;
	bool enabled;
	uint16_t hold_time;
	uint16_t keepalive_interval;
	uint16_t connect_retry;
	char *auth_password; /* TCP MD5 key (RFC 2385), or NULL */
	bool route_reflector_client;
	bool next_hop_self;
	bool graceful_restart_enabled;
	uint16_t graceful_restart_time;
	bool extended_messages;
	/* Configured families in enum order, at least one. */
	struct config_family families[CONFIG_AFI_SAFI_COUNT];
	size_t n_families;
};

struct config {
	uint32_t as;
	uint32_t router_id;	      /* host byte order */
	uint32_t cluster_id;	      /* host byte order; router_id unless configured */
	struct config_listen *listen; /* n_listen == 0: every address, port 179 */
	size_t n_listen;
	char *control_socket;
	char *log_file; /* NULL = standard error */
	enum config_log_level log_level;
	struct config_neighbor *neighbors; /* sorted by address */
	size_t n_neighbors;
};

/* One problem: the data path of the offending node in the model's
 * notation, e.g. "/vtopo:vtopo/neighbors/neighbor[address='192.0.2.2']/timers/hold-time"
 * ("" when the file is not JSON at all), and a human-readable reason. */
struct config_error {
	char *path;
	char *reason;
};

struct config_errors {
	struct config_error *v;
	size_t n;
	size_t cap;
};

/* Stop collecting after this many errors (the last one says so). */
#define CONFIG_MAX_ERRORS 64

void config_errors_init(struct config_errors *errs);
/* Free every entry; errs is empty and reusable afterwards. */
void config_errors_clear(struct config_errors *errs);

/* Load and validate the file at path with the YANG modules installed with
 * vtopo.  On success returns 0 and sets *out (free with config_free()).
 * On failure returns -1, leaves *out NULL and appends at least one entry to
 * errs (which must have been initialised).  Never logs. */
int config_load(const char *path, struct config **out, struct config_errors *errs);

/* Same, with the YANG modules taken from yang_dir (e.g. the source tree);
 * yang_dir NULL means the installed directory. */
int config_load_dir(const char *path, const char *yang_dir, struct config **out,
		    struct config_errors *errs);

void config_free(struct config *cfg);

/* The resolved configuration as RFC 7951 JSON of module vtopo, with every
 * default filled in, neighbors flattened (no peer groups) and keys in model
 * order.  Returns a malloc'd string ending in a newline, or NULL on
 * allocation failure.  Reloading it yields the same struct config (less
 * the peer_group names). */
char *config_dump_json(const struct config *cfg);

/* "ipv4-unicast" ... ; NULL for an out-of-range value. */
const char *config_afi_safi_name(enum config_afi_safi f);
/* The enum for a name, or -1. */
int config_afi_safi_from_name(const char *name);
const char *config_log_level_name(enum config_log_level l);
int config_log_level_from_name(const char *name);

#endif
