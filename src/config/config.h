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

#include "lib/ecomm.h"
#include "lib/prefix.h"
#include "lib/rd.h"

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

/*
 * VRFs, service nodes and service topologies
 * (draft-rfernando-bess-service-chaining-01 sections 2 to 5).  VRFs are
 * referred to by name; config_vrf_find() gives the index.
 */

/* route-target-type: bit flags, BOTH = IMPORT | EXPORT. */
enum config_rt_type {
	CONFIG_RT_IMPORT = 1,
	CONFIG_RT_EXPORT = 2,
	CONFIG_RT_BOTH = 3,
};

struct config_vpn_target {
	struct ecomm rt;
	enum config_rt_type type;
};

/* label-mode of a VRF (RFC 4364 s4.3.2), in model order. */
enum config_label_mode {
	CONFIG_LABEL_PER_VRF,
	CONFIG_LABEL_PER_PREFIX,
	CONFIG_LABEL_PER_NEXTHOP,
};

/* One export-policy statement; every one whose conditions all match a
 * route adds its RTs to it (vrf/vrf_policy.h). */
struct config_policy_stmt {
	char *name;
	uint8_t afi;	      /* conditions/address-family: AFI_IPV4/6, 0: any */
	bool match_prefix;    /* conditions/prefix set */
	struct prefix prefix; /* the route's prefix lies within it ... */
	uint8_t len_min;      /* ... with a length in [len_min, len_max] */
	uint8_t len_max;
	char *attachment; /* conditions/attachment, or NULL */
	bool reject;
	struct ecomm *add_rts; /* add-route-target, in file order */
	size_t n_add_rts;
	bool set_local_pref;
	uint32_t local_pref;
	bool set_med;
	uint32_t med;
};

/* An address of a VM or CE with its subnet's length (ietf-ip style). */
struct config_if_addr {
	struct ipaddr ip;
	uint8_t prefix_len;
};

struct config_attachment {
	char *name;
	char *host;	 /* the VM or CE, or NULL */
	char *interface; /* Linux interface name */
	struct config_if_addr *addresses;
	size_t n_addresses;
};

enum config_nh_kind {
	CONFIG_NH_ADDRESS,
	CONFIG_NH_INTERFACE,
	CONFIG_NH_BLACKHOLE,
};

struct config_static_route {
	struct prefix prefix;
	enum config_nh_kind kind;
	struct ipaddr next_hop; /* CONFIG_NH_ADDRESS */
	char *interface;	/* CONFIG_NH_INTERFACE */
};

struct config_vrf {
	char *name;
	char *description; /* or NULL */
	struct rd rd;
	struct config_vpn_target *targets; /* sorted by route target */
	size_t n_targets;
	enum config_label_mode label_mode;
	struct config_policy_stmt *export_policy; /* in order */
	size_t n_export_policy;
	struct config_attachment *attachments; /* sorted by name */
	size_t n_attachments;
	struct config_static_route *static_routes; /* sorted by prefix */
	size_t n_static_routes;
};

enum config_svc_label {
	CONFIG_SVC_LABEL_DIRECT,    /* a label straight to the node (s4.1.1) */
	CONFIG_SVC_LABEL_AGGREGATE, /* in-VRF label + IP lookup (s4.1.5) */
};

struct config_service_node {
	char *name;
	char *description; /* or NULL */
	struct ipaddr address;
	char *interface;
	char *in_vrf;
	char *out_vrf;
	enum config_svc_label label_mode;
};

enum config_hash_mode {
	CONFIG_HASH_5TUPLE,
	CONFIG_HASH_SYMMETRIC,
};

struct config_topology {
	char *name;
	char *description; /* or NULL */
	struct ecomm rt;
	enum config_afi_safi family; /* CONFIG_AFI_SAFI_IPV4_VPN or _IPV6_VPN */
	struct ipaddr *sequence;     /* in chain order, at least one */
	size_t n_sequence;
	char **ingress_vrfs; /* sorted */
	size_t n_ingress_vrfs;
	uint16_t preference;
	enum config_hash_mode hash_mode;
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
	struct config_vrf *vrfs; /* sorted by name */
	size_t n_vrfs;
	struct config_service_node *service_nodes; /* sorted by name */
	size_t n_service_nodes;
	struct config_topology *topologies; /* sorted by name */
	size_t n_topologies;
	struct ipaddr *pe_addresses; /* underlay/pe-address, sorted; none: FIB-derived */
	size_t n_pe_addresses;
	uint32_t label_first, label_last; /* underlay/label-range (16..1048575) */
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
const char *config_label_mode_name(enum config_label_mode m);
const char *config_rt_type_name(enum config_rt_type t);
const char *config_svc_label_name(enum config_svc_label m);
const char *config_hash_mode_name(enum config_hash_mode m);

/* Index of the VRF called name in cfg->vrfs, or -1. */
long config_vrf_find(const struct config *cfg, const char *name);

#endif
