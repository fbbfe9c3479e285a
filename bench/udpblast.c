/*
 * udpblast: the traffic of bench/dp_pps.  A sender that writes small UDP
 * datagrams as fast as the kernel takes them (sendmmsg, 64 per call) and a
 * receiver that counts what arrives, so that the packets per second of a
 * forwarding path are the receiver's count, not the forwarder's.
 *
 *   udpblast send ADDR PORT SECONDS [PAYLOAD [RATE]]
 *       prints "sent N"; RATE (datagrams per second, 0: as fast as the
 *       kernel takes them, the default) paces the batches
 *   udpblast recv ADDR PORT TIMEOUT [READYFILE]
 *       binds ADDR:PORT (then creates READYFILE), waits up to TIMEOUT s for
 *       the first datagram, counts until 1 s passes with none, prints
 *       "received N unique U dup D seconds S pps P"
 *
 * Each datagram carries a magic and a sequence number; the receiver counts
 * only datagrams with the magic, and keeps one bit per sequence number so
 * that a duplicate is not counted twice (U).  S is the time from the first
 * to the last datagram received, P = U / S.
 *
 * Not for: latency, anything the receiver cannot count.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAGIC 0x7674706bu  /* "vtpk" */
#define SEQ_MAX (1u << 28) /* bitmap of 32 MiB */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int sockaddr_of(const char *addr, const char *port, struct sockaddr_in *sin)
{
	char *end;
	long p = strtol(port, &end, 10);

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	if (*end != '\0' || p <= 0 || p > 65535 || inet_pton(AF_INET, addr, &sin->sin_addr) != 1) {
		fprintf(stderr, "udpblast: bad address or port: %s %s\n", addr, port);
		return -1;
	}
	sin->sin_port = htons((uint16_t)p);
	return 0;
}

static int blast(const struct sockaddr_in *to, double secs, size_t payload, double rate)
{
	static uint8_t bufs[BATCH][1500];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	uint32_t seq = 0, magic = htonl(MAGIC);
	uint64_t sent = 0;
	double start, end;
	int fd;

	if (payload < 8 || payload > sizeof(bufs[0])) {
		fprintf(stderr, "udpblast: payload must be 8..1500 octets\n");
		return 2;
	}
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0 ||
	    connect(fd, (const struct sockaddr *)to, sizeof(*to)) < 0) {
		perror("udpblast: socket");
		return 1;
	}
	memset(mm, 0, sizeof(mm));
	for (int i = 0; i < BATCH; i++) {
		memcpy(bufs[i], &magic, 4);
		iov[i] = (struct iovec){bufs[i], payload};
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	start = now();
	end = start + secs;
	while (now() < end && seq < SEQ_MAX - BATCH) {
		int n;
		if (rate > 0) { /* paced: the next batch is due at sent / rate */
			double due = start + (double)sent / rate, t = now();
			if (due > t) {
				struct timespec ts = {
				    .tv_sec = (time_t)(due - t),
				    .tv_nsec = (long)((due - t - (double)(time_t)(due - t)) * 1e9)};
				nanosleep(&ts, NULL);
			}
		}
		for (int i = 0; i < BATCH; i++) {
			uint32_t s = htonl(seq + (uint32_t)i);
			memcpy(bufs[i] + 4, &s, 4);
		}
		n = sendmmsg(fd, mm, BATCH, 0);
		if (n < 0) {
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR)
				continue; /* a full queue is the point */
			perror("udpblast: sendmmsg");
			return 1;
		}
		seq += (uint32_t)n;
		sent += (uint64_t)n;
	}
	printf("sent %llu\n", (unsigned long long)sent);
	close(fd);
	return 0;
}

static int count(const struct sockaddr_in *at, double timeout, const char *ready)
{
	static uint8_t bufs[BATCH][2048];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	struct timeval tv = {.tv_sec = 0, .tv_usec = 100000};
	uint8_t *seen = calloc(SEQ_MAX / 8, 1);
	uint64_t total = 0, uniq = 0, dup = 0;
	double first = 0, last = 0, start;
	int fd, rcvbuf = 16 << 20;

	if (seen == NULL)
		return 1;
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0 ||
	    bind(fd, (const struct sockaddr *)at, sizeof(*at)) < 0) {
		perror("udpblast: bind");
		return 1;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (ready != NULL) {
		int rf = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (rf >= 0)
			close(rf);
	}
	memset(mm, 0, sizeof(mm));
	for (int i = 0; i < BATCH; i++) {
		iov[i] = (struct iovec){bufs[i], sizeof(bufs[i])};
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	start = now();
	for (;;) {
		int n = recvmmsg(fd, mm, BATCH, MSG_WAITFORONE, NULL);
		double t = now();

		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			perror("udpblast: recvmmsg");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			uint32_t m, s;
			if (mm[i].msg_len < 8)
				continue;
			memcpy(&m, bufs[i], 4);
			memcpy(&s, bufs[i] + 4, 4);
			s = ntohl(s);
			if (ntohl(m) != MAGIC || s >= SEQ_MAX)
				continue;
			total++;
			if (seen[s / 8] & (1u << (s % 8))) {
				dup++;
				continue;
			}
			seen[s / 8] |= (uint8_t)(1u << (s % 8));
			uniq++;
		}
		if (n > 0) {
			if (first == 0)
				first = t;
			last = t;
		}
		if (first == 0 && t - start > timeout)
			break;
		if (first != 0 && t - last > 1.0)
			break;
	}
	printf("received %llu unique %llu dup %llu seconds %.3f pps %.0f\n",
	       (unsigned long long)total, (unsigned long long)uniq, (unsigned long long)dup,
	       last - first, last > first ? (double)uniq / (last - first) : 0.0);
	close(fd);
	free(seen);
	return uniq > 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin;

	if (argc >= 5 && strcmp(argv[1], "send") == 0) {
		if (sockaddr_of(argv[2], argv[3], &sin) != 0)
			return 2;
		return blast(&sin, atof(argv[4]), argc > 5 ? (size_t)atoi(argv[5]) : 18,
			     argc > 6 ? atof(argv[6]) : 0);
	}
	if (argc >= 5 && strcmp(argv[1], "recv") == 0) {
		if (sockaddr_of(argv[2], argv[3], &sin) != 0)
			return 2;
		return count(&sin, atof(argv[4]), argc > 5 ? argv[5] : NULL);
	}
	fprintf(stderr, "usage: udpblast send ADDR PORT SECONDS [PAYLOAD [RATE]]\n"
			"       udpblast recv ADDR PORT TIMEOUT [READYFILE]\n");
	return 2;
}
