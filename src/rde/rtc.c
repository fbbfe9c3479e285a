/* rtc: RFC 4684 membership sets; see rtc.h. */
#include "rde/rtc.h"

#include <stdlib.h>
#include <string.h>

#include "lib/ecomm.h"

static bool entry_is(const struct rtc_entry *e, const struct bgp_nlri *n)
{
	return e->len == n->rtc_len && e->origin_as == n->rtc_origin_as &&
	       memcmp(e->rt, n->rtc_rt.b, 8) == 0;
}

bool rtc_set_add(struct rtc_set *s, const struct bgp_nlri *n)
{
	for (uint32_t i = 0; i < s->n; i++)
		if (entry_is(&s->e[i], n)) {
			s->e[i].refs++;
			return false;
		}
	if (s->n == s->cap) {
		uint32_t cap = s->cap ? s->cap * 2 : 8;
		struct rtc_entry *e = realloc(s->e, cap * sizeof(*e));

		if (!e)
			return false;
		s->e = e;
		s->cap = cap;
	}
	s->e[s->n] =
	    (struct rtc_entry){.len = n->rtc_len, .refs = 1, .origin_as = n->rtc_origin_as};
	memcpy(s->e[s->n].rt, n->rtc_rt.b, 8);
	s->n++;
	return true;
}

bool rtc_set_del(struct rtc_set *s, const struct bgp_nlri *n)
{
	for (uint32_t i = 0; i < s->n; i++)
		if (entry_is(&s->e[i], n)) {
			if (--s->e[i].refs)
				return false;
			s->e[i] = s->e[--s->n];
			return true;
		}
	return false;
}

void rtc_set_clear(struct rtc_set *s)
{
	free(s->e);
	memset(s, 0, sizeof(*s));
}

bool rtc_set_has_default(const struct rtc_set *s)
{
	for (uint32_t i = 0; i < s->n; i++)
		if (s->e[i].len == 0)
			return true;
	return false;
}

/* RFC 4684 s4: the entry is a prefix over (origin AS, route target); the
 * route target part of it must cover rt. */
static bool entry_covers(const struct rtc_entry *e, const uint8_t *rt)
{
	unsigned bits;

	if (e->len <= 32)
		return true;
	bits = e->len - 32u;
	if (memcmp(e->rt, rt, bits / 8) != 0)
		return false;
	if (bits % 8) {
		uint8_t mask = (uint8_t)(0xff00u >> (bits % 8));

		return (e->rt[bits / 8] & mask) == (rt[bits / 8] & mask);
	}
	return true;
}

bool rtc_set_match(const struct rtc_set *s, const uint8_t *ecomm, size_t len)
{
	if (rtc_set_has_default(s))
		return true;
	for (size_t off = 0; off + 8 <= len; off += 8) {
		struct ecomm c;

		memcpy(c.b, ecomm + off, 8);
		if (!ecomm_is_rt(&c))
			continue;
		for (uint32_t i = 0; i < s->n; i++)
			if (entry_covers(&s->e[i], c.b))
				return true;
	}
	return false;
}

void rtc_entry_nlri(const struct rtc_entry *e, struct bgp_nlri *n)
{
	memset(n, 0, sizeof(*n));
	n->fam = BGP_FAM_RTC;
	n->rtc_len = e->len;
	n->rtc_origin_as = e->origin_as;
	memcpy(n->rtc_rt.b, e->rt, 8);
}
