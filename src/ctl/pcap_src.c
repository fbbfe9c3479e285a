/*
 * pcap_src: TCP segments of BGP connections out of a capture file (see
 * pcap_src.h).  Frames are parsed through rbuf like any other wire bytes:
 * link layer, then IPv4 (RFC 791) or IPv6 (RFC 8200), then the TCP header
 * (RFC 9293 s3.1).
 *
 * Not for: reassembly, BGP.
 */
#include "ctl/pcap_src.h"

#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "wire/bgp.h"

#define ETH_P_IPV4 0x0800
#define ETH_P_IPV6 0x86dd
#define LINKTYPE_RAW 101 /* some files carry the LINKTYPE_ value */

struct pcap_src {
	pcap_t *p;
	int dlt;
};

char *tcp_endpoint_fmt(const struct tcp_endpoint *e, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (e->af == 4) {
		inet_ntop(AF_INET, e->addr, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, e->port);
	} else {
		inet_ntop(AF_INET6, e->addr, a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, e->port);
	}
	return buf;
}

bool tcp_endpoint_equal(const struct tcp_endpoint *a, const struct tcp_endpoint *b)
{
	return a->af == b->af && a->port == b->port && memcmp(a->addr, b->addr, 16) == 0;
}

bool pcap_src_is_capture(const uint8_t *head, size_t len)
{
	static const uint8_t magic[][4] = {
	    {0xa1, 0xb2, 0xc3, 0xd4}, {0xd4, 0xc3, 0xb2, 0xa1}, /* pcap, usec */
	    {0xa1, 0xb2, 0x3c, 0x4d}, {0x4d, 0x3c, 0xb2, 0xa1}, /* pcap, nsec */
	    {0x0a, 0x0d, 0x0d, 0x0a},				/* pcapng SHB */
	};

	if (len < 4)
		return false;
	for (size_t i = 0; i < sizeof(magic) / sizeof(magic[0]); i++)
		if (memcmp(head, magic[i], 4) == 0)
			return true;
	return false;
}

/* RFC 9293 s3.1 */
static bool parse_tcp(struct rbuf *r, struct tcp_seg *seg)
{
	uint16_t sport, dport;
	uint32_t ack;
	uint8_t doff, flags;

	if (!rbuf_u16(r, &sport) || !rbuf_u16(r, &dport) || !rbuf_u32(r, &seg->seq) ||
	    !rbuf_u32(r, &ack) || !rbuf_u8(r, &doff) || !rbuf_u8(r, &flags))
		return false;
	doff = (uint8_t)((doff >> 4) * 4);
	if (doff < 20 || !rbuf_skip(r, doff - 14u))
		return false;
	seg->src.port = sport;
	seg->dst.port = dport;
	seg->flags = flags;
	rbuf_rest(r, &seg->payload);
	return true;
}

/* RFC 791 s3.1; fragments are not reassembled (BGP rarely needs it). */
static bool parse_ipv4(struct rbuf *r, struct tcp_seg *seg)
{
	uint8_t vihl, tos, ttl, proto;
	uint16_t tot, id, frag, csum;
	struct rbuf pkt;
	size_t hl;

	if (!rbuf_peek_u8(r, &vihl))
		return false;
	hl = (vihl & 0x0f) * 4u;
	if (!rbuf_u8(r, &vihl) || !rbuf_u8(r, &tos) || !rbuf_u16(r, &tot) || !rbuf_u16(r, &id) ||
	    !rbuf_u16(r, &frag) || !rbuf_u8(r, &ttl) || !rbuf_u8(r, &proto) || !rbuf_u16(r, &csum))
		return false;
	seg->src.af = seg->dst.af = 4;
	memset(seg->src.addr, 0, 16);
	memset(seg->dst.addr, 0, 16);
	if (hl < 20 || tot < hl || !rbuf_bytes(r, seg->src.addr, 4) ||
	    !rbuf_bytes(r, seg->dst.addr, 4) || !rbuf_skip(r, hl - 20))
		return false;
	if (proto != 6 || (frag & 0x3fff) != 0) /* not TCP, or a fragment */
		return false;
	/* drop link-layer padding; a truncated capture keeps what it has */
	if (!rbuf_sub(r, tot - hl, &pkt))
		rbuf_rest(r, &pkt);
	return parse_tcp(&pkt, seg);
}

/* RFC 8200 s4: skip extension headers up to TCP. */
static bool parse_ipv6(struct rbuf *r, struct tcp_seg *seg)
{
	uint32_t vtcfl;
	uint16_t plen;
	uint8_t nh, hop, len;
	struct rbuf pkt;

	if (!rbuf_u32(r, &vtcfl) || !rbuf_u16(r, &plen) || !rbuf_u8(r, &nh) || !rbuf_u8(r, &hop) ||
	    !rbuf_bytes(r, seg->src.addr, 16) || !rbuf_bytes(r, seg->dst.addr, 16))
		return false;
	seg->src.af = seg->dst.af = 6;
	if (!rbuf_sub(r, plen, &pkt))
		rbuf_rest(r, &pkt);
	while (nh != 6) {
		uint16_t frag;

		switch (nh) {
		case 0:	 /* hop-by-hop */
		case 43: /* routing */
		case 60: /* destination options */
			if (!rbuf_u8(&pkt, &nh) || !rbuf_u8(&pkt, &len) ||
			    !rbuf_skip(&pkt, len * 8u + 6))
				return false;
			break;
		case 51: /* AH, RFC 4302 s2.2: length in 4-octet units minus 2 */
			if (!rbuf_u8(&pkt, &nh) || !rbuf_u8(&pkt, &len) ||
			    !rbuf_skip(&pkt, (len + 2u) * 4 - 2))
				return false;
			break;
		case 44: /* fragment: only a whole datagram in one fragment */
			if (!rbuf_u8(&pkt, &nh) || !rbuf_skip(&pkt, 1) || !rbuf_u16(&pkt, &frag) ||
			    !rbuf_skip(&pkt, 4) || (frag & 0xfff9) != 0)
				return false;
			break;
		default:
			return false;
		}
	}
	return parse_tcp(&pkt, seg);
}

static bool parse_ip(struct rbuf *r, struct tcp_seg *seg)
{
	uint8_t v;

	if (!rbuf_peek_u8(r, &v))
		return false;
	if (v >> 4 == 4)
		return parse_ipv4(r, seg);
	if (v >> 4 == 6)
		return parse_ipv6(r, seg);
	return false;
}

static bool parse_ethertype(struct rbuf *r, uint16_t type, struct tcp_seg *seg)
{
	if (type == ETH_P_IPV4)
		return parse_ipv4(r, seg);
	if (type == ETH_P_IPV6)
		return parse_ipv6(r, seg);
	return false;
}

bool pcap_src_parse(int dlt, const uint8_t *frame, size_t len, struct tcp_seg *seg)
{
	struct rbuf r;
	uint16_t type;

	rbuf_init(&r, frame, len);
	switch (dlt) {
	case DLT_EN10MB: /* IEEE 802.3, with 802.1Q / 802.1ad tags */
		if (!rbuf_skip(&r, 12) || !rbuf_u16(&r, &type))
			return false;
		while (type == 0x8100 || type == 0x88a8 || type == 0x9100)
			if (!rbuf_skip(&r, 2) || !rbuf_u16(&r, &type))
				return false;
		return parse_ethertype(&r, type, seg);
	case DLT_LINUX_SLL: /* 16-byte header, protocol last */
		if (!rbuf_skip(&r, 14) || !rbuf_u16(&r, &type))
			return false;
		return parse_ethertype(&r, type, seg);
	case DLT_LINUX_SLL2: /* 20-byte header, protocol first */
		if (!rbuf_u16(&r, &type) || !rbuf_skip(&r, 18))
			return false;
		return parse_ethertype(&r, type, seg);
	case DLT_NULL: /* 4-byte address family, byte order of the capturer */
	case DLT_LOOP:
		if (!rbuf_skip(&r, 4))
			return false;
		return parse_ip(&r, seg);
	case DLT_RAW:
	case LINKTYPE_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		return parse_ip(&r, seg);
	default:
		return false;
	}
}

struct pcap_src *pcap_src_open(FILE *fp, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct pcap_src *s;
	pcap_t *p;

	p = pcap_fopen_offline(fp, perr);
	if (p == NULL) {
		snprintf(err, errlen, "%s", perr);
		fclose(fp);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		pcap_close(p);
		return NULL;
	}
	s->p = p;
	s->dlt = pcap_datalink(p);
	return s;
}

int pcap_src_next(struct pcap_src *s, struct tcp_seg *seg, char *err, size_t errlen)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	while ((rc = pcap_next_ex(s->p, &h, &data)) == 1) {
		memset(seg, 0, sizeof(*seg));
		if (!pcap_src_parse(s->dlt, data, h->caplen, seg))
			continue;
		if (seg->src.port != BGP_PORT && seg->dst.port != BGP_PORT)
			continue;
		seg->sec = h->ts.tv_sec;
		seg->usec = (uint32_t)h->ts.tv_usec;
		return 1;
	}
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	snprintf(err, errlen, "%s", pcap_geterr(s->p));
	return -1;
}

void pcap_src_close(struct pcap_src *s)
{
	if (s == NULL)
		return;
	pcap_close(s->p);
	free(s);
}
