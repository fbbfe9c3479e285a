/*
 * config_yang: configuration file -> validated libyang data tree, with every
 * error found rather than only the first.
 *
 * libyang 2.1 stops at the first error, both when it parses and when it
 * validates.  To report them all, each error is recorded and the offending
 * node is removed from a json-c copy of the document, which is then parsed
 * and validated again from scratch, until it passes or the node cannot be
 * located.  Removing a node can hide an error beneath it but never creates
 * one that is not also in the file, and each round removes something, so
 * the loop ends.  The location comes from the data path libyang attaches to
 * the error; where libyang names the parent and quotes the child in the
 * message (unknown node, JSON value of the wrong kind) the quoted child is
 * removed, and a list entry with a missing or invalid key (no predicate in
 * the path) is found by checking each entry's keys against the schema.
 *
 * Not for: building struct config (config_build.c) or checks the model
 * cannot express.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"

#define MAX_FILE_SIZE (16u << 20)
#define MAX_NAME 64
#define MAX_VALUE 256
#define MAX_PREDS 4

#define PARSE_OPTS (LYD_PARSE_STRICT | LYD_PARSE_ONLY | LYD_PARSE_NO_STATE)
#define VALIDATE_OPTS (LYD_VALIDATE_NO_STATE)

/* One step of a data path: name[key='value']... */
struct path_seg {
	char name[MAX_NAME];
	size_t n_pred;
	struct {
		char key[MAX_NAME];
		char value[MAX_VALUE];
	} pred[MAX_PREDS];
};

/* Where a JSON node sits: a member of an object or an element of an array. */
struct json_loc {
	json_object *holder;
	const char *key; /* member name, when holder is an object */
	size_t idx;	 /* index, when holder is an array */
};

static char *file_read(const char *path, struct config_errors *errs)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0;

	if (!f) {
		config_err(errs, "", "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(MAX_FILE_SIZE + 1);
	if (!buf) {
		config_err(errs, "", "out of memory");
		goto out;
	}
	len = fread(buf, 1, MAX_FILE_SIZE + 1, f);
	if (ferror(f) || len > MAX_FILE_SIZE) {
		config_err(errs, "", "cannot read %s: %s", path,
			   ferror(f) ? strerror(errno) : "file too large");
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[len] = '\0';
out:
	fclose(f);
	return buf;
}

/* Strictly parse text with json-c; on failure record the position. */
static json_object *json_parse_text(const char *text, struct config_errors *errs)
{
	struct json_tokener *tok = json_tokener_new();
	json_object *doc = NULL;
	size_t len = strlen(text), end, line = 1;

	if (!tok) {
		config_err(errs, "", "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	doc = json_tokener_parse_ex(tok, text, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (!doc || json_tokener_get_error(tok) != json_tokener_success) {
		enum json_tokener_error je = json_tokener_get_error(tok);

		for (size_t i = 0; i < end && i < len; i++)
			line += text[i] == '\n';
		config_err(errs, "", "not valid JSON, line %zu: %s", line,
			   je == json_tokener_continue ? "unexpected end of file"
						       : json_tokener_error_desc(je));
		json_object_put(doc);
		doc = NULL;
	}
	json_tokener_free(tok);
	return doc;
}

/* libyang 2.1 puts the location in ly_err_item.path as
 * 'Data location "/a/b[k='v']", line number 3.' or 'Schema location "..."';
 * return the quoted path ("" if there is none). */
static char *err_path(const struct ly_err_item *e)
{
	const char *b = NULL, *q;

	if (e && e->path) {
		b = strstr(e->path, "ata location \"");
		if (!b)
			b = strstr(e->path, "location \"");
	}
	if (!b)
		return strdup("");
	b = strchr(b, '"') + 1;
	q = strrchr(b, '"');
	return q && q > b ? strndup(b, (size_t)(q - b)) : strdup("");
}

/* Split one segment off *p; false on syntax this code does not handle
 * (positional predicates, over-long names). */
static bool seg_next(const char **p, struct path_seg *s)
{
	const char *c = *p, *colon;
	size_t n;

	memset(s, 0, sizeof(*s));
	if (*c == '/')
		c++;
	n = strcspn(c, "/[");
	colon = memchr(c, ':', n);
	if (colon) {
		n -= (size_t)(colon + 1 - c);
		c = colon + 1;
	}
	if (n == 0 || n >= MAX_NAME)
		return false;
	memcpy(s->name, c, n);
	c += n;
	while (*c == '[') {
		const char *eq = strchr(c, '='), *v, *vend;
		char quote;

		if (!eq || s->n_pred == MAX_PREDS || (size_t)(eq - c - 1) >= MAX_NAME)
			return false;
		quote = eq[1];
		if (quote != '\'' && quote != '"')
			return false;
		v = eq + 2;
		vend = strchr(v, quote);
		if (!vend || vend[1] != ']' || (size_t)(vend - v) >= MAX_VALUE)
			return false;
		memcpy(s->pred[s->n_pred].key, c + 1, (size_t)(eq - c - 1));
		memcpy(s->pred[s->n_pred].value, v, (size_t)(vend - v));
		s->n_pred++;
		c = vend + 2;
	}
	*p = c;
	return true;
}

/* The member of obj called name or "module:name"; sets *key to its name. */
static json_object *member(json_object *obj, const char *name, const char **key)
{
	if (!json_object_is_type(obj, json_type_object))
		return NULL;
	json_object_object_foreach(obj, k, v)
	{
		const char *colon = strchr(k, ':');

		if (!strcmp(k, name) || (colon && !strcmp(colon + 1, name))) {
			*key = k;
			return v;
		}
	}
	return NULL;
}

/* Is the JSON value v, as a key of schema node k, equal to the canonical
 * value want?  False when v is not a valid value. */
static bool key_matches(const struct lysc_node *k, json_object *v, const char *want)
{
	const struct ly_ctx *ctx = k->module->ctx;
	const char *canon = NULL;
	bool eq;

	if (!json_object_is_type(v, json_type_string))
		return false;
	if (lyd_value_validate(NULL, k, json_object_get_string(v),
			       (size_t)json_object_get_string_len(v), NULL, NULL,
			       &canon) != LY_SUCCESS)
		return false;
	eq = want ? !strcmp(canon, want) : true;
	lydict_remove((struct ly_ctx *)ctx, canon);
	return eq;
}

/* Index of the element of list array arr selected by the predicates of s,
 * or (no predicates) of the first element with a missing or invalid key;
 * -1 if none. */
static long list_find(const struct lysc_node *list, json_object *arr, const struct path_seg *s)
{
	size_t n = json_object_array_length(arr);

	for (size_t i = 0; i < n; i++) {
		json_object *el = json_object_array_get_idx(arr, i);
		bool all = true;
		size_t pi = 0;

		for (const struct lysc_node *k = lysc_node_child(list); k && lysc_is_key(k);
		     k = k->next) {
			const char *key;
			json_object *v = member(el, k->name, &key);
			const char *want = NULL;

			if (s->n_pred) {
				if (pi == s->n_pred || strcmp(s->pred[pi].key, k->name))
					return -1;
				want = s->pred[pi++].value;
			}
			if (!v || !key_matches(k, v, want)) {
				all = false;
				break;
			}
		}
		if (s->n_pred ? all : !all)
			return (long)i;
	}
	return -1;
}

/* The first "quoted" word of a libyang message, into buf. */
static bool msg_quoted(const char *msg, char *buf, size_t len)
{
	const char *a = msg ? strchr(msg, '"') : NULL, *b = a ? strchr(a + 1, '"') : NULL;

	if (!b || (size_t)(b - a - 1) >= len)
		return false;
	memcpy(buf, a + 1, (size_t)(b - a - 1));
	buf[b - a - 1] = '\0';
	return true;
}

static void loc_drop(const struct json_loc *l)
{
	if (json_object_is_type(l->holder, json_type_array))
		json_object_array_del_idx(l->holder, l->idx, 1);
	else
		json_object_object_del(l->holder, l->key);
}

/* Remove from doc the node an error at path (with message msg) is about.
 * False when it cannot be located. */
static bool json_drop(const struct lys_module *mod, json_object *doc, const char *path,
		      const char *msg)
{
	const struct lysc_node *sparent = NULL, *snode;
	struct json_loc target = {0}, culprit = {0};
	json_object *cur = doc, *m;
	struct path_seg s;
	const char *p = path, *key;
	char child[MAX_NAME];

	while (*p && strcmp(p, "/")) {
		if (!seg_next(&p, &s) || !(m = member(cur, s.name, &key)))
			return false;
		snode = lys_find_child(sparent, mod, s.name, 0, 0, 0);
		if (!snode)
			return false;
		target = (struct json_loc){.holder = cur, .key = key};
		cur = m;
		if (snode->nodetype == LYS_LIST && json_object_is_type(m, json_type_array)) {
			long i = list_find(snode, m, &s);

			if (i < 0)
				return false;
			target = (struct json_loc){.holder = m, .idx = (size_t)i};
			if (!s.n_pred && !culprit.holder)
				culprit = target;
			cur = json_object_array_get_idx(m, (size_t)i);
		} else if (snode->nodetype == LYS_LIST) {
			break; /* not an array: drop the member itself */
		}
		sparent = snode;
	}
	if (culprit.holder) {
		loc_drop(&culprit);
		return true;
	}
	if (msg_quoted(msg, child, sizeof(child)) && member(cur, child, &key)) {
		json_object_object_del(cur, key);
		return true;
	}
	if (!target.holder)
		return false;
	loc_drop(&target);
	return true;
}

/* The state of the scan across rounds. */
struct scan {
	json_object *doc;		  /* created from the text on the first error */
	char *removed[CONFIG_MAX_ERRORS]; /* paths of the nodes taken out so far */
	size_t n_removed;
};

/* Do data paths a and b name the same schema node (predicates ignored)? */
static bool path_same_schema(const char *a, const char *b)
{
	for (;;) {
		while (*a == '[')
			a += strcspn(a, "]") + (a[strcspn(a, "]")] ? 1 : 0);
		while (*b == '[')
			b += strcspn(b, "]") + (b[strcspn(b, "]")] ? 1 : 0);
		if (*a != *b)
			return false;
		if (!*a)
			return true;
		a++;
		b++;
	}
}

/* Was the node at path removed by this scan?  libyang reports a missing
 * mandatory leaf of a list entry without the entry's keys
 * ("/vtopo:vtopo/service-nodes/service-node/in-vrf"), so such an error
 * is matched on the schema path. */
static bool scan_removed(const struct scan *sc, const char *path, const char *msg)
{
	bool mandatory = !strncmp(msg, "Mandatory node", 14);

	for (size_t i = 0; i < sc->n_removed; i++)
		if (!strcmp(sc->removed[i], path) ||
		    (mandatory && path_same_schema(sc->removed[i], path)))
			return true;
	return false;
}

/* One round: parse and validate text; on an error record it and remove
 * the node from the document.  An error about a node this scan removed
 * itself (a mandatory leaf whose value was invalid) is a consequence, not
 * a new problem: it is not recorded, and the scan stops since libyang
 * cannot go past a missing mandatory node.
 * Returns 1 when done (*tree set), 0 to go again, -1 to stop. */
static int round_once(struct ly_ctx *ctx, const struct lys_module *mod, const char *text,
		      struct scan *sc, struct lyd_node **tree, struct config_errors *errs)
{
	const struct ly_err_item *e;
	char *path = NULL, *msg = NULL;
	int r = -1;

	*tree = NULL;
	if (lyd_parse_data_mem(ctx, text, LYD_JSON, PARSE_OPTS, 0, tree) == LY_SUCCESS &&
	    lyd_validate_module(tree, mod, VALIDATE_OPTS, NULL) == LY_SUCCESS)
		return 1;
	lyd_free_all(*tree);
	*tree = NULL;
	if (!sc->doc && !(sc->doc = json_parse_text(text, errs)))
		goto out; /* not JSON: json-c's report is better */
	e = ly_err_last(ctx);
	path = err_path(e);
	msg = strdup(e && e->msg ? e->msg : "invalid configuration");
	if (!path || !msg) {
		config_err(errs, "", "out of memory");
		goto out;
	}
	if (scan_removed(sc, path, msg))
		goto out;
	config_err(errs, path, "%s", msg);
	if (config_errors_full(errs) || !json_drop(mod, sc->doc, path, msg))
		goto out;
	if (sc->n_removed < CONFIG_MAX_ERRORS)
		sc->removed[sc->n_removed++] = path;
	else
		free(path);
	path = NULL;
	r = 0;
out:
	ly_err_clean(ctx, NULL);
	free(path);
	free(msg);
	return r;
}

int config_yang_read(struct ly_ctx *ctx, const char *path, struct lyd_node **tree,
		     struct config_errors *errs)
{
	const struct lys_module *mod = ly_ctx_get_module_implemented(ctx, CONFIG_MODULE);
	size_t n0 = errs->n;
	struct scan sc = {0};
	char *text = file_read(path, errs);
	int r = -1;

	*tree = NULL;
	if (!text || !mod)
		goto out;
	for (;;) {
		const char *t =
		    sc.doc ? json_object_to_json_string_ext(
				 sc.doc, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
			   : text;

		r = round_once(ctx, mod, t, &sc, tree, errs);
		if (r != 0)
			break;
	}
	if (r == 1 && errs->n == n0)
		r = 0;
	else {
		lyd_free_all(*tree);
		*tree = NULL;
		r = -1;
	}
out:
	for (size_t i = 0; i < sc.n_removed; i++)
		free(sc.removed[i]);
	json_object_put(sc.doc);
	free(text);
	return r;
}
