/*
 * Unit tests for the control socket server (vtopod/ctl_server, ctl_cmd):
 * the protocol of docs/ctl-json.md over a real Unix socket in a temporary
 * directory, driven by a small poll() loop, with fake handlers.
 */
#include <errno.h>
#include <json-c/json.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "vtopod/ctl_server.h"

/* ---- a poll() loop behind struct ctl_loop_ops ---- */

#define LOOP_MAX 128

struct watch {
	int fd; /* -1: free */
	unsigned events;
	ctl_io_cb cb;
	void *arg;
};

struct loop {
	struct watch w[LOOP_MAX];
};

static struct watch *loop_find(struct loop *l, int fd)
{
	for (int i = 0; i < LOOP_MAX; i++)
		if (l->w[i].fd == fd)
			return &l->w[i];
	return NULL;
}

static int loop_add(void *loop, int fd, unsigned events, ctl_io_cb cb, void *arg)
{
	struct watch *w = loop_find(loop, -1);

	if (w == NULL || loop_find(loop, fd) != NULL)
		return -1;
	*w = (struct watch){fd, events, cb, arg};
	return 0;
}

static int loop_mod(void *loop, int fd, unsigned events)
{
	struct watch *w = loop_find(loop, fd);

	if (w == NULL)
		return -1;
	w->events = events;
	return 0;
}

static void loop_del(void *loop, int fd)
{
	struct watch *w = loop_find(loop, fd);

	assert_non_null(w); /* the server deletes only what it added */
	w->fd = -1;
}

static const struct ctl_loop_ops loop_ops = {loop_add, loop_mod, loop_del};

static void loop_init(struct loop *l)
{
	for (int i = 0; i < LOOP_MAX; i++)
		l->w[i].fd = -1;
}

/* One turn: poll (up to ms) and call back every ready watch still there. */
static void loop_turn(struct loop *l, int ms)
{
	struct pollfd p[LOOP_MAX];
	int n = 0;

	for (int i = 0; i < LOOP_MAX; i++) {
		if (l->w[i].fd < 0)
			continue;
		p[n].fd = l->w[i].fd;
		p[n].events = (short)((l->w[i].events & CTL_EV_READ ? POLLIN : 0) |
				      (l->w[i].events & CTL_EV_WRITE ? POLLOUT : 0));
		p[n++].revents = 0;
	}
	assert_true(poll(p, (nfds_t)n, ms) >= 0);
	for (int i = 0; i < n; i++) {
		struct watch *w = loop_find(l, p[i].fd);
		unsigned ev = 0;

		if (w == NULL || p[i].revents == 0)
			continue;
		if (p[i].revents & (POLLIN | POLLHUP | POLLERR))
			ev |= CTL_EV_READ;
		if (p[i].revents & (POLLOUT | POLLHUP | POLLERR))
			ev |= CTL_EV_WRITE;
		w->cb(w->fd, ev & (w->events | CTL_EV_READ), w->arg);
	}
}

static size_t loop_count(struct loop *l)
{
	size_t n = 0;

	for (int i = 0; i < LOOP_MAX; i++)
		n += l->w[i].fd >= 0;
	return n;
}

/* ---- fake handlers: they record what the server passed ---- */

struct fake {
	int calls;
	char addr[IPADDR_STRLEN]; /* "" for all */
	enum bgp_fam fam;
	char key[1024]; /* "" for all */
	size_t big;	/* memory: a string of this many bytes */
};

static struct json_object *fake_neighbors(void *ctx, const struct ipaddr *a, char *err)
{
	struct fake *f = ctx;
	struct json_object *d = json_object_new_object(), *arr = json_object_new_array();

	(void)err;
	f->calls++;
	f->addr[0] = '\0';
	if (a != NULL)
		ipaddr_fmt(a, f->addr, sizeof(f->addr));
	json_object_object_add(d, "neighbors", arr);
	return d;
}

static struct json_object *fake_rib(void *ctx, enum bgp_fam fam, const char *key, char *err)
{
	struct fake *f = ctx;
	struct json_object *d = json_object_new_object();

	(void)err;
	f->calls++;
	f->fam = fam;
	snprintf(f->key, sizeof(f->key), "%s", key ? key : "");
	json_object_object_add(d, "family", json_object_new_string(bgp_fam_table[fam].name));
	json_object_object_add(d, "routes", json_object_new_array());
	return d;
}

static struct json_object *fake_rtc(void *ctx, char *err)
{
	struct fake *f = ctx;

	f->calls++;
	snprintf(err, CTL_ERR_MAX, "rt-constraint is \"off\"");
	return NULL;
}

static struct json_object *fake_memory(void *ctx, char *err)
{
	struct fake *f = ctx;
	struct json_object *d = json_object_new_object();
	char *s = malloc(f->big + 1);

	(void)err;
	f->calls++;
	memset(s, 'x', f->big);
	s[f->big] = '\0';
	json_object_object_add(d, "filler", json_object_new_string(s));
	free(s);
	return d;
}

/* ---- direct requests (ctl_request_handle) ---- */

struct reply {
	struct json_object *o;
	bool ok;
	const char *error;
	struct json_object *data;
};

/* Parse a response line: one JSON object, then exactly one newline. */
static struct reply parse_reply(const char *line)
{
	struct reply r = {0};
	struct json_object *v;
	size_t len = strlen(line);

	assert_true(len > 1);
	assert_int_equal(line[len - 1], '\n');
	assert_null(memchr(line, '\n', len - 1));
	r.o = json_tokener_parse(line);
	assert_non_null(r.o);
	assert_true(json_object_object_get_ex(r.o, "ok", &v));
	assert_true(json_object_is_type(v, json_type_boolean));
	r.ok = json_object_get_boolean(v);
	if (json_object_object_get_ex(r.o, "error", &v))
		r.error = json_object_get_string(v);
	json_object_object_get_ex(r.o, "data", &r.data);
	/* docs/ctl-json.md: data when ok, error when not */
	assert_true(r.ok ? r.data != NULL && r.error == NULL : r.data == NULL && r.error != NULL);
	return r;
}

static struct fake fk;
static const struct ctl_handlers handlers = {&fk, fake_neighbors, fake_rib, fake_rtc, fake_memory};

static struct reply ask(const char *req)
{
	char *line = ctl_request_handle(&handlers, req, strlen(req));
	struct reply r;

	assert_non_null(line);
	r = parse_reply(line);
	free(line);
	return r;
}

static void expect_error(const char *req, const char *error)
{
	struct reply r = ask(req);

	assert_false(r.ok);
	assert_string_equal(r.error, error);
	json_object_put(r.o);
}

static void test_show_neighbors(void **state)
{
	struct reply r;
	struct json_object *v;

	(void)state;
	memset(&fk, 0, sizeof(fk));
	r = ask("{\"command\": \"show\", \"args\": [\"neighbors\"]}");
	assert_true(r.ok);
	assert_true(json_object_object_get_ex(r.data, "neighbors", &v));
	assert_int_equal(fk.calls, 1);
	assert_string_equal(fk.addr, "");
	json_object_put(r.o);

	r = ask("{\"command\":\"show\",\"args\":[\"neighbors\",\"2001:db8::1\"]}");
	assert_true(r.ok);
	assert_string_equal(fk.addr, "2001:db8::1");
	json_object_put(r.o);

	expect_error("{\"command\":\"show\",\"args\":[\"neighbors\",\"192.0.2.300\"]}",
		     "bad address '192.0.2.300'");
	expect_error("{\"command\":\"show\",\"args\":[\"neighbors\",\"192.0.2.1\",\"x\"]}",
		     "unexpected argument 'x'; usage: show neighbors [ADDRESS]");
	assert_int_equal(fk.calls, 2);
}

/* Keys as docs/ctl-json.md and src/wire/nlri.h write them; the handler
 * gets the canonical text whatever the user typed. */
static void rib_key(const char *fam, const char *typed, enum bgp_fam want_fam, const char *want)
{
	char req[512];
	struct reply r;

	snprintf(req, sizeof(req), "{\"command\":\"show\",\"args\":[\"rib\",\"%s\",\"%s\"]}", fam,
		 typed);
	r = ask(req);
	assert_true(r.ok);
	assert_int_equal(fk.fam, want_fam);
	assert_string_equal(fk.key, want);
	json_object_put(r.o);
}

static void test_show_rib_keys(void **state)
{
	struct reply r;

	(void)state;
	memset(&fk, 0, sizeof(fk));
	r = ask("{\"command\":\"show\",\"args\":[\"rib\",\"ipv4-vpn\"]}");
	assert_true(r.ok);
	assert_int_equal(fk.fam, BGP_FAM_VPNV4);
	assert_string_equal(fk.key, "");
	json_object_put(r.o);

	rib_key("ipv4-unicast", "198.51.100.0/24", BGP_FAM_IPV4_UNICAST, "198.51.100.0/24");
	rib_key("ipv6-labeled-unicast", "2001:db8:0::/32", BGP_FAM_IPV6_LU, "2001:db8::/32");
	rib_key("ipv4-vpn", "65000:1:192.0.2.0/24", BGP_FAM_VPNV4, "65000:1:192.0.2.0/24");
	rib_key("ipv4-vpn", "192.0.2.1:7:203.0.113.0/24", BGP_FAM_VPNV4,
		"192.0.2.1:7:203.0.113.0/24");
	rib_key("ipv6-vpn", "65000:1:2001:db8:1::/48", BGP_FAM_VPNV6, "65000:1:2001:db8:1::/48");
	rib_key("rtc", "65000:target:65001:100", BGP_FAM_RTC, "65000:target:65001:100");
	rib_key("rtc", "default", BGP_FAM_RTC, "default");
	rib_key("ipv4-flowspec", "destination 192.0.2.0/24 protocol =6", BGP_FAM_FLOW4,
		"destination 192.0.2.0/24 protocol =6");
	rib_key("ipv4-vpn-flowspec", "65000:1 destination 192.0.2.0/24", BGP_FAM_VPNFLOW4,
		"65000:1 destination 192.0.2.0/24");
}

static void test_show_rib_errors(void **state)
{
	(void)state;
	memset(&fk, 0, sizeof(fk));
	/* the example of docs/ctl-json.md */
	expect_error("{\"command\":\"show\",\"args\":[\"rib\",\"ipv5\"]}", "unknown family 'ipv5'");
	expect_error("{\"command\":\"show\",\"args\":[\"rib\",\"ipv4-unicast\",\"192.0.2.0/33\"]}",
		     "bad prefix '192.0.2.0/33' for ipv4-unicast");
	/* host bits set: not a key (src/lib/prefix.h refuses them) */
	expect_error(
	    "{\"command\":\"show\",\"args\":[\"rib\",\"ipv4-unicast\",\"198.51.100.7/24\"]}",
	    "bad prefix '198.51.100.7/24' for ipv4-unicast");
	/* a prefix of the other address family */
	expect_error("{\"command\":\"show\",\"args\":[\"rib\",\"ipv4-unicast\",\"2001:db8::/32\"]}",
		     "bad prefix '2001:db8::/32' for ipv4-unicast");
	/* a VPN key needs its RD */
	expect_error("{\"command\":\"show\",\"args\":[\"rib\",\"ipv4-vpn\",\"192.0.2.0/24\"]}",
		     "bad prefix '192.0.2.0/24' for ipv4-vpn");
	/* RFC 4684 s4: RTC prefix lengths are 0 or 32..96 */
	expect_error("{\"command\":\"show\",\"args\":[\"rib\",\"rtc\",\"65000:target:1:1/20\"]}",
		     "bad prefix '65000:target:1:1/20' for rtc");
	expect_error("{\"command\":\"show\",\"args\":[\"rib\"]}",
		     "missing argument; usage: show rib FAMILY [PREFIX]");
	assert_int_equal(fk.calls, 0);
}

static void test_bad_requests(void **state)
{
	struct reply r;
	struct json_object *cmds;

	(void)state;
	memset(&fk, 0, sizeof(fk));
	expect_error("{\"command\":\"frobnicate\"}", "unknown command 'frobnicate'");
	expect_error("{\"command\":\"show\",\"args\":[\"routes\"]}",
		     "unknown command 'show routes'");
	expect_error("{\"command\":\"show\"}",
		     "'show' needs one of neighbors, rib, rt-constraint, memory, fib, labels, "
		     "service-topology, attachments");
	expect_error("{\"command\":\"attach\"}", "'attach' needs add or del");
	expect_error("{\"command\":\"attach\",\"args\":[\"up\"]}", "unknown command 'attach up'");
	expect_error("{not json", "invalid request: not one JSON value");
	expect_error("{\"command\":\"help\"} {}", "invalid request: not one JSON value");
	expect_error("", "invalid request: not one JSON value");
	expect_error("[\"show\"]", "invalid request: not a JSON object");
	expect_error("{\"args\":[]}", "invalid request: no 'command' string");
	expect_error("{\"command\":\"show\",\"args\":\"rib\"}",
		     "invalid request: 'args' is not an array");
	expect_error("{\"command\":\"show\",\"args\":[\"rib\",4]}",
		     "invalid request: argument 2 is not a string");
	/* a handler's error passes through, JSON-escaped */
	expect_error("{\"command\":\"show\",\"args\":[\"rt-constraint\"]}",
		     "rt-constraint is \"off\"");
	assert_int_equal(fk.calls, 1);

	r = ask("{\"command\":\"help\"}");
	assert_true(r.ok);
	assert_true(json_object_object_get_ex(r.data, "commands", &cmds));
	/* eight show commands, attach add and del, reload, help */
	assert_int_equal(json_object_array_length(cmds), 12);
	json_object_put(r.o);
}

/* ---- attach add|del ---- */

static int parse_words(const char *line, struct ctl_attach *a, char *err)
{
	char buf[512], *save = NULL;
	const char *w[32];
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *t = strtok_r(buf, " ", &save); t != NULL && n < 32;
	     t = strtok_r(NULL, " ", &save))
		w[n++] = t;
	err[0] = '\0';
	return ctl_attach_parse(w, n, a, err);
}

static void parse_bad(const char *line, const char *want)
{
	struct ctl_attach a;
	char err[CTL_ERR_MAX];

	if (parse_words(line, &a, err) == 0)
		fail_msg("'%s' was accepted", line);
	assert_string_equal(err, want);
}

static void test_attach_parse(void **state)
{
	struct ctl_attach a;
	char err[CTL_ERR_MAX], ip[IPADDR_STRLEN];

	(void)state;
	/* bare addresses are host routes; the interface defaults to the name */
	assert_int_equal(parse_words("vm1 vrf blue address 198.51.100.5 address 2001:db8::5/128",
				     &a, err),
			 0);
	assert_string_equal(a.name, "vm1");
	assert_string_equal(a.vrf, "blue");
	assert_string_equal(a.ifname, "vm1");
	assert_int_equal(a.n_addr, 2);
	assert_int_equal(a.addr[0].afi, AFI_IPV4);
	assert_string_equal(ipaddr_fmt(&a.addr[0], ip, sizeof(ip)), "198.51.100.5");
	assert_int_equal(a.addr[1].afi, AFI_IPV6);
	assert_string_equal(ipaddr_fmt(&a.addr[1], ip, sizeof(ip)), "2001:db8::5");
	/* any order of the keywords; explicit interface */
	assert_int_equal(
	    parse_words("web-1.a interface tap_0 address 198.51.100.6/32 vrf red", &a, err), 0);
	assert_string_equal(a.ifname, "tap_0");
	assert_string_equal(a.vrf, "red");
	assert_int_equal(a.n_addr, 1);
	/* four addresses at most (one host route each) */
	assert_int_equal(parse_words("v vrf b address 192.0.2.1 address 192.0.2.2 address "
				     "192.0.2.3 address 192.0.2.4",
				     &a, err),
			 0);
	assert_int_equal(a.n_addr, 4);
	parse_bad("v vrf b address 192.0.2.1 address 192.0.2.2 address 192.0.2.3 address "
		  "192.0.2.4 address 192.0.2.5",
		  "more than 4 addresses");

	parse_bad("", "bad attachment name '' (1 to 63 of A-Z a-z 0-9 _ . -, not starting with "
		      "_ . -)");
	parse_bad("-vm vrf b address 192.0.2.1",
		  "bad attachment name '-vm' (1 to 63 of A-Z a-z 0-9 _ . -, not starting with "
		  "_ . -)");
	parse_bad("vm/1 vrf b address 192.0.2.1",
		  "bad attachment name 'vm/1' (1 to 63 of A-Z a-z 0-9 _ . -, not starting with "
		  "_ . -)");
	parse_bad("vm vrf b", "missing 'address ADDRESS'");
	parse_bad("vm address 192.0.2.1", "missing 'vrf VRF'");
	parse_bad("vm vrf", "'vrf' needs a value");
	parse_bad("vm vrf b vrf c address 192.0.2.1", "'vrf' given twice");
	parse_bad("vm vrf a-vrf-name-too-long address 192.0.2.1",
		  "bad VRF name 'a-vrf-name-too-long'");
	parse_bad("vm vrf b address 192.0.2.1 colour red",
		  "unexpected 'colour': expected vrf, address or interface");
	parse_bad("vm vrf b address 192.0.2.256", "bad address '192.0.2.256'");
	parse_bad("vm vrf b address 192.0.2.0/24", "address '192.0.2.0/24' is not a host address (/32)");
	parse_bad("vm vrf b address 2001:db8::/64",
		  "address '2001:db8::/64' is not a host address (/128)");
	parse_bad("vm vrf b address 0.0.0.0", "address '0.0.0.0' cannot be a host's");
	parse_bad("vm vrf b address 224.0.0.5", "address '224.0.0.5' cannot be a host's");
	parse_bad("vm vrf b address ff02::1", "address 'ff02::1' cannot be a host's");
	parse_bad("vm vrf b address ::", "address '::' cannot be a host's");
	parse_bad("vm vrf b address 192.0.2.1 address 192.0.2.1/32",
		  "address '192.0.2.1/32' given twice");
	parse_bad("vm vrf b address 192.0.2.1 interface eth0 interface eth1",
		  "'interface' given twice");
	parse_bad("vm vrf b address 192.0.2.1 interface a-very-long-ifname",
		  "bad interface name 'a-very-long-ifname' (1 to 15 of A-Z a-z 0-9 _ . -)");
	/* the interface defaults to the name, which must then fit IFNAMSIZ */
	parse_bad("a-long-attachment-name vrf b address 192.0.2.1",
		  "name 'a-long-attachment-name' is too long for an interface name: give "
		  "'interface IFNAME'");
	assert_int_equal(
	    parse_words("a-long-attachment-name vrf b address 192.0.2.1 interface tap1", &a, err),
	    0);
}

static struct {
	int adds, dels, shows;
	struct ctl_attach last;
	char del[CTL_NAME_MAX];
} fa;

static struct json_object *fake_attach_add(void *ctx, const struct ctl_attach *a, char *err)
{
	(void)ctx;
	fa.adds++;
	fa.last = *a;
	if (strcmp(a->vrf, "green") == 0) {
		snprintf(err, CTL_ERR_MAX, "unknown network-instance 'green'");
		return NULL;
	}
	return json_object_new_object();
}

static struct json_object *fake_attach_del(void *ctx, const char *name, char *err)
{
	(void)ctx;
	(void)err;
	fa.dels++;
	snprintf(fa.del, sizeof(fa.del), "%s", name);
	return json_object_new_object();
}

static struct json_object *fake_attachments(void *ctx, char *err)
{
	(void)ctx;
	(void)err;
	fa.shows++;
	return json_object_new_object();
}

static struct reply ask_h(const struct ctl_handlers *h, const char *req)
{
	char *line = ctl_request_handle(h, req, strlen(req));
	struct reply r;

	assert_non_null(line);
	r = parse_reply(line);
	free(line);
	return r;
}

static void test_attach_requests(void **state)
{
	struct ctl_handlers h = {.attach_add = fake_attach_add,
				 .attach_del = fake_attach_del,
				 .attachments = fake_attachments};
	const char *bad_req = "{\"command\":\"attach\",\"args\":[\"add\",\"vm1\",\"vrf\","
			      "\"blue\",\"address\",\"198.51.100.0/24\"]}";
	const char *reqs[] = {
	    ("{\"command\":\"attach\",\"args\":[\"add\",\"vm1\",\"vrf\",\"blue\",\"address\","
	     "\"198.51.100.5/32\",\"address\",\"2001:db8::5\",\"interface\",\"tap1\"]}"),
	    "{\"command\":\"attach\",\"args\":[\"del\",\"vm1\"]}",
	    "{\"command\":\"show\",\"args\":[\"attachments\"]}",
	};
	struct reply r;

	(void)state;
	memset(&fa, 0, sizeof(fa));
	for (size_t i = 0; i < 3; i++) {
		r = ask_h(&h, reqs[i]);
		assert_true(r.ok);
		json_object_put(r.o);
	}
	assert_int_equal(fa.adds, 1);
	assert_string_equal(fa.last.name, "vm1");
	assert_string_equal(fa.last.vrf, "blue");
	assert_string_equal(fa.last.ifname, "tap1");
	assert_int_equal(fa.last.n_addr, 2);
	assert_int_equal(fa.dels, 1);
	assert_string_equal(fa.del, "vm1");
	assert_int_equal(fa.shows, 1);

	/* a bad shape never reaches the handler; the handler's refusal
	 * passes through */
	r = ask_h(&h, bad_req);
	assert_false(r.ok);
	assert_string_equal(r.error, "address '198.51.100.0/24' is not a host address (/32)");
	json_object_put(r.o);
	assert_int_equal(fa.adds, 1);
	r = ask_h(&h, "{\"command\":\"attach\",\"args\":[\"add\",\"v\",\"vrf\","
		      "\"green\",\"address\",\"192.0.2.1\"]}");
	assert_false(r.ok);
	assert_string_equal(r.error, "unknown network-instance 'green'");
	json_object_put(r.o);
	assert_int_equal(fa.adds, 2);
	/* del takes one name */
	r = ask_h(&h, "{\"command\":\"attach\",\"args\":[\"del\"]}");
	assert_false(r.ok);
	assert_string_equal(r.error, "missing argument; usage: attach del NAME");
	json_object_put(r.o);
	/* without handlers */
	expect_error("{\"command\":\"attach\",\"args\":[\"del\",\"vm1\"]}",
		     "'attach' is not available");
	expect_error("{\"command\":\"show\",\"args\":[\"attachments\"]}",
		     "'show attachments' is not available");
}

/* ---- over the socket ---- */

struct env {
	char dir[64];
	char path[128];
	struct loop loop;
	struct ctl_server *srv;
};

static int env_setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	char err[256];

	snprintf(e->dir, sizeof(e->dir), "/tmp/vtopo-ctl-XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	snprintf(e->path, sizeof(e->path), "%s/vtopod.sock", e->dir);
	loop_init(&e->loop);
	memset(&fk, 0, sizeof(fk));
	e->srv = ctl_server_start(e->path, &handlers, &loop_ops, &e->loop, err, sizeof(err));
	if (e->srv == NULL)
		fail_msg("%s", err);
	*state = e;
	return 0;
}

static int env_teardown(void **state)
{
	struct env *e = *state;

	ctl_server_stop(e->srv);
	assert_int_equal(loop_count(&e->loop), 0);
	assert_int_equal(access(e->path, F_OK), -1); /* the socket file is gone */
	rmdir(e->dir);
	free(e);
	return 0;
}

static int client_connect(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* Turn the loop until the server holds at most `n` clients (bounded). */
static void settle(struct env *e, size_t n)
{
	for (int turns = 0; ctl_server_clients(e->srv) > n && turns < 2000; turns++)
		loop_turn(&e->loop, 10);
}

/* Send req (then the end of file when `eof`), turn the loop until the
 * server closes, close; returns what came back (NUL terminated, to free).
 * Bounded: fails after 2000 idle turns. */
static char *exchange_eof(struct env *e, const void *req, size_t len, bool eof)
{
	size_t before = ctl_server_clients(e->srv), off = 0, got = 0, cap = 4096;
	int fd = client_connect(e->path);
	char *buf = malloc(cap);
	int idle = 0;

	for (;;) {
		ssize_t r;

		if (off < len) {
			r = send(fd, (const char *)req + off, len - off, MSG_NOSIGNAL);
			if (r > 0)
				off += (size_t)r;
			if (off == len && eof)
				shutdown(fd, SHUT_WR);
		}
		loop_turn(&e->loop, 10);
		if (got + 1 == cap)
			buf = realloc(buf, cap *= 2);
		r = recv(fd, buf + got, cap - got - 1, 0);
		if (r == 0)
			break;
		if (r > 0) {
			got += (size_t)r;
			idle = 0;
		} else if (errno == ECONNRESET || ++idle > 2000) {
			fail_msg("no response (errno %d, sent %zu, got %zu)", errno, off, got);
		}
	}
	buf[got] = '\0';
	close(fd);
	settle(e, before);
	return buf;
}

static char *exchange(struct env *e, const void *req, size_t len)
{
	return exchange_eof(e, req, len, false);
}

static void test_socket_good(void **state)
{
	struct env *e = *state;
	const char req[] = "{\"command\":\"show\",\"args\":[\"rib\",\"ipv4-vpn\"]}\n";
	char *line = exchange(e, req, strlen(req));
	struct reply r = parse_reply(line);
	struct stat st;

	assert_true(r.ok);
	assert_int_equal(fk.fam, BGP_FAM_VPNV4);
	json_object_put(r.o);
	free(line);
	assert_int_equal(ctl_server_clients(e->srv), 0);
	/* the socket is rw for owner and group only */
	assert_int_equal(stat(e->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0660);
}

static void test_socket_errors(void **state)
{
	struct env *e = *state;
	char *big = malloc(CTL_REQUEST_MAX + 1000), *line;
	struct reply r;

	line = exchange(e, "{\"command\":\"nope\"}\n", 19);
	r = parse_reply(line);
	assert_string_equal(r.error, "unknown command 'nope'");
	json_object_put(r.o);
	free(line);

	line = exchange(e, "{\"command\":\n", 12);
	r = parse_reply(line);
	assert_string_equal(r.error, "invalid request: not one JSON value");
	json_object_put(r.o);
	free(line);

	/* one byte over the limit, no newline in it */
	memset(big, ' ', CTL_REQUEST_MAX + 1000);
	line = exchange(e, big, CTL_REQUEST_MAX + 1000);
	r = parse_reply(line);
	assert_string_equal(r.error, "request too long (over 65536 bytes)");
	json_object_put(r.o);
	free(line);

	/* exactly the limit, the newline last: accepted */
	memset(big, ' ', CTL_REQUEST_MAX);
	memcpy(big, "{\"command\":\"help\"}", 18);
	big[CTL_REQUEST_MAX - 1] = '\n';
	line = exchange(e, big, CTL_REQUEST_MAX);
	r = parse_reply(line);
	assert_true(r.ok);
	json_object_put(r.o);
	free(line);

	/* the end of input ends the request when there is no newline */
	line = exchange_eof(e, "{\"command\":\"help\"}", 18, true);
	r = parse_reply(line);
	assert_true(r.ok);
	json_object_put(r.o);
	free(line);
	free(big);
	assert_int_equal(ctl_server_clients(e->srv), 0);
}

/* A client that leaves while a large response is going out is dropped;
 * the server goes on answering the others. */
static void test_socket_client_leaves(void **state)
{
	struct env *e = *state;
	const char req[] = "{\"command\":\"show\",\"args\":[\"memory\"]}\n";
	int fd, idle = 0, keep;
	char buf[4096], *line;
	struct reply r;
	size_t got = 0;

	fk.big = 8 << 20;		/* far more than a socket buffer holds */
	keep = client_connect(e->path); /* a client that never asks */
	fd = client_connect(e->path);
	assert_int_equal(send(fd, req, strlen(req), 0), (ssize_t)strlen(req));
	while (got < 1000 && idle++ < 2000) {
		ssize_t n;

		loop_turn(&e->loop, 10);
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0)
			got += (size_t)n;
	}
	assert_true(got >= 1000);
	assert_int_equal(memcmp(buf, "{\"ok\":true", 10), 0);
	assert_int_equal(ctl_server_clients(e->srv), 2); /* still writing to it */
	close(fd);
	settle(e, 1);
	assert_int_equal(ctl_server_clients(e->srv), 1);

	fk.big = 10;
	line = exchange(e, req, strlen(req));
	r = parse_reply(line);
	assert_true(r.ok);
	json_object_put(r.o);
	free(line);
	assert_int_equal(ctl_server_clients(e->srv), 1);
	close(keep);
	settle(e, 0);
	assert_int_equal(ctl_server_clients(e->srv), 0);
}

/* A second daemon on the same path is refused; a stale socket (nobody
 * listening) or a missing one is fine; a file that is not a socket is left
 * alone. */
static void test_socket_claim(void **state)
{
	struct env *e = *state;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct loop l2;
	char err[256], path[100];
	struct ctl_server *s2;
	int fd;
	FILE *f;

	loop_init(&l2);
	s2 = ctl_server_start(e->path, &handlers, &loop_ops, &l2, err, sizeof(err));
	assert_null(s2);
	assert_non_null(strstr(err, e->path));
	assert_non_null(strstr(err, "another vtopod is running on it"));
	assert_int_equal(loop_count(&l2), 0);
	assert_int_equal(access(e->path, F_OK), 0); /* the first one's is kept */

	/* stale: bound, then closed without anyone listening */
	snprintf(path, sizeof(path), "%s/stale.sock", e->dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	s2 = ctl_server_start(path, &handlers, &loop_ops, &l2, err, sizeof(err));
	if (s2 == NULL)
		fail_msg("%s", err);
	ctl_server_stop(s2);
	assert_int_equal(access(path, F_OK), -1);

	snprintf(path, sizeof(path), "%s/file", e->dir);
	f = fopen(path, "w");
	fclose(f);
	s2 = ctl_server_start(path, &handlers, &loop_ops, &l2, err, sizeof(err));
	assert_null(s2);
	assert_non_null(strstr(err, "exists and is not a socket"));
	assert_int_equal(access(path, F_OK), 0);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_show_neighbors),
	    cmocka_unit_test(test_show_rib_keys),
	    cmocka_unit_test(test_show_rib_errors),
	    cmocka_unit_test(test_bad_requests),
	    cmocka_unit_test(test_attach_parse),
	    cmocka_unit_test(test_attach_requests),
	    cmocka_unit_test_setup_teardown(test_socket_good, env_setup, env_teardown),
	    cmocka_unit_test_setup_teardown(test_socket_errors, env_setup, env_teardown),
	    cmocka_unit_test_setup_teardown(test_socket_client_leaves, env_setup, env_teardown),
	    cmocka_unit_test_setup_teardown(test_socket_claim, env_setup, env_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
