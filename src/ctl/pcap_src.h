/*
 * pcap_src: TCP segments to or from port 179 out of a pcap or pcapng
 * capture (libpcap reads both).  Link types: Ethernet (with 802.1Q/802.1ad
 * tags), Linux cooked SLL and SLL2, raw IP, BSD loopback (null/loop);
 * network layer IPv4 and IPv6 (extension headers skipped, fragments
 * ignored).
 *
 * Not for: reassembly (tcp_reasm.h), BGP (the decoder).
 */
#ifndef VTOPO_CTL_PCAP_SRC_H
#define VTOPO_CTL_PCAP_SRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/rbuf.h"

struct tcp_endpoint {
	uint8_t af;	  /* 4 or 6 */
	uint8_t addr[16]; /* IPv4 in the first 4 */
	uint16_t port;
};

#define TCP_FLAG_FIN 0x01
#define TCP_FLAG_SYN 0x02
#define TCP_FLAG_RST 0x04
#define TCP_FLAG_ACK 0x10

struct tcp_seg {
	int64_t sec; /* capture time */
	uint32_t usec;
	struct tcp_endpoint src, dst;
	uint32_t seq;
	uint8_t flags;
	struct rbuf payload; /* view into the packet, valid until the next read */
};

/* "192.0.2.1:179", "[2001:db8::1]:179" */
#define TCP_ENDPOINT_STRLEN 56
char *tcp_endpoint_fmt(const struct tcp_endpoint *e, char *buf, size_t len);
bool tcp_endpoint_equal(const struct tcp_endpoint *a, const struct tcp_endpoint *b);

/* True when the first bytes of a file are a pcap or pcapng magic number. */
bool pcap_src_is_capture(const uint8_t *head, size_t len);

struct pcap_src;

/* Takes fp (closed by pcap_src_close).  NULL with a message in err. */
struct pcap_src *pcap_src_open(FILE *fp, char *err, size_t errlen);
/* Next TCP segment with port 179 on either side: 1, 0 at the end, -1 on a
 * read error (message in err). */
int pcap_src_next(struct pcap_src *s, struct tcp_seg *seg, char *err, size_t errlen);
void pcap_src_close(struct pcap_src *s);

/* Parse one frame of link type `dlt` (pcap DLT_* value); true when it is a
 * TCP segment (any port).  Exposed for tests. */
bool pcap_src_parse(int dlt, const uint8_t *frame, size_t len, struct tcp_seg *seg);

#endif
