/*
 * decode: `vtopoctl decode`: command line, input detection (pcap/pcapng
 * magic, else hex text) and the output of one JSON object per message.
 *
 * Not for: reading the inputs (decode_hex.c, decode_pcap.c), BGP decoding
 * (src/wire).
 */
#include "ctl/decode.h"

#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <string.h>

#include "ctl/pcap_src.h"
#include "wire/json.h"

void cmd_decode_usage(FILE *f)
{
	fprintf(f, "usage: vtopoctl decode [--as4|--no-as4] [--addpath FAMILY]... [--ibgp] "
		   "[--pretty] [FILE|-]\n"
		   "  Decode BGP messages from a pcap/pcapng capture (TCP port 179) or from\n"
		   "  text with one hex message per line; print one JSON object per message.\n"
		   "  --as4, --no-as4     4-octet AS numbers in AS_PATH (default: on)\n"
		   "  --addpath FAMILY    NLRI of FAMILY carry ADD-PATH path ids (repeatable)\n"
		   "  --ibgp              the session is internal (LOCAL_PREF rules)\n"
		   "  --pretty            indent the JSON\n"
		   "  OPEN messages in the input override these defaults.\n"
		   "  families:");
	for (int i = 0; i < BGP_FAM_COUNT; i++)
		fprintf(f, " %s", bgp_fam_table[i].name);
	fprintf(f, "\n");
}

void decode_warn(struct decode_run *run, bool bad, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s decode: %s: ", run->ctx->prog,
		strcmp(run->input, "-") == 0 ? "<stdin>" : run->input);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (bad)
		run->status = CTL_EXIT_INPUT;
}

void decode_emit(struct decode_run *run, struct json_object *head, const uint8_t *msg, size_t len,
		 const struct bgp_sess_params *p)
{
	struct json_object *o = head ? head : json_object_new_object();
	struct json_object *m = bgp_msg_to_json(msg, len, p);
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	json_object_object_foreach(m, key, val)
	{
		json_object_object_add(o, key, json_object_get(val));
	}
	json_object_put(m);
	flags |= run->pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
			     : JSON_C_TO_STRING_PLAIN;
	fprintf(run->out, "%s\n", json_object_to_json_string_ext(o, flags));
	json_object_put(o);
}

bool decode_open_caps(const uint8_t *msg, size_t len, struct bgp_caps *caps, uint32_t *asn)
{
	struct rbuf stream, whole, body;
	struct bgp_verdict v;
	struct bgp_open o = {0};
	uint8_t type;

	bgp_verdict_init(&v);
	rbuf_init(&stream, msg, len);
	if (bgp_hdr_split(&stream, BGP_MAX_LEN, &type, &whole, &body, &v) != 1 ||
	    type != BGP_MSG_OPEN || !bgp_open_decode(&body, &o, &v))
		return false;
	*caps = o.caps;
	caps->n_unknown = 0; /* views into msg */
	*asn = bgp_open_asn(&o);
	return true;
}

/* A pipe cannot be rewound after the magic number is read: copy it. */
static FILE *open_input(struct decode_run *run, const char *path)
{
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	FILE *tmp;
	char buf[65536];
	size_t n;

	if (in == NULL) {
		decode_warn(run, true, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (in != stdin && fseek(in, 0, SEEK_CUR) == 0)
		return in;
	tmp = tmpfile();
	if (tmp == NULL) {
		decode_warn(run, true, "cannot buffer the input: %s", strerror(errno));
		goto fail;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, tmp);
	if (ferror(in) || fflush(tmp) != 0) {
		decode_warn(run, true, "read error: %s", strerror(errno));
		fclose(tmp);
		tmp = NULL;
	} else {
		rewind(tmp);
	}
fail:
	if (in != stdin)
		fclose(in);
	return tmp;
}

static void decode_input(struct decode_run *run, const char *path)
{
	FILE *in = open_input(run, path);
	uint8_t head[4];
	size_t n;

	if (in == NULL)
		return;
	n = fread(head, 1, sizeof(head), in);
	rewind(in);
	if (pcap_src_is_capture(head, n))
		decode_pcap(run, in); /* closes in */
	else {
		decode_hex(run, in);
		fclose(in);
	}
}

enum { OPT_AS4 = 256, OPT_NO_AS4, OPT_ADDPATH, OPT_IBGP, OPT_PRETTY };

static const struct option decode_opts[] = {
    {"as4", no_argument, NULL, OPT_AS4},
    {"no-as4", no_argument, NULL, OPT_NO_AS4},
    {"addpath", required_argument, NULL, OPT_ADDPATH},
    {"ibgp", no_argument, NULL, OPT_IBGP},
    {"pretty", no_argument, NULL, OPT_PRETTY},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int cmd_decode(const struct ctl_ctx *ctx, int argc, char **argv)
{
	struct decode_run run = {.ctx = ctx, .input = "-", .out = stdout};
	enum bgp_fam fam;
	int c;

	bgp_sess_params_default(&run.params);
	optind = 0; /* GNU: restart scanning for this argv */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:jh", decode_opts, NULL)) != -1) {
		switch (c) {
		case OPT_AS4:
			run.params.as4 = true;
			break;
		case OPT_NO_AS4:
			run.params.as4 = false;
			break;
		case OPT_IBGP:
			run.params.ibgp = true;
			break;
		case OPT_PRETTY:
			run.pretty = true;
			break;
		case 'j':
			break; /* JSON is the only output */
		case 'h':
			cmd_decode_usage(stdout);
			return CTL_EXIT_OK;
		case OPT_ADDPATH:
			fam = bgp_fam_from_name(optarg);
			if (fam == BGP_FAM_NONE)
				return ctl_usage_error(ctx, "decode", "unknown family '%s'",
						       optarg);
			run.params.addpath_rx |= bgp_fam_bit(fam);
			run.params.addpath_tx |= bgp_fam_bit(fam);
			break;
		case ':':
			return ctl_usage_error(ctx, "decode", "option '%s' needs an argument",
					       argv[optind - 1]);
		default:
			if (optopt != 0)
				return ctl_usage_error(ctx, "decode", "unknown option '-%c'",
						       optopt);
			return ctl_usage_error(ctx, "decode", "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return ctl_usage_error(ctx, "decode", "unexpected argument '%s' (one input only)",
				       argv[optind + 1]);
	if (optind < argc)
		run.input = argv[optind];
	decode_input(&run, run.input);
	return run.status;
}
