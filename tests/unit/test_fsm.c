/*
 * Unit tests for the RFC 4271 s8 state machine (vtopod/fsm).
 *
 * The expectations are a second transcription of RFC 4271 s8.2.2, written
 * as the RFC's sentences (one line per state and event it names), and
 * every (state, event) cell of the table is checked against them: a cell
 * the RFC does not name for a state must be "ignored".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "vtopod/fsm.h"

enum {
	I = FSM_IDLE,
	C = FSM_CONNECT,
	A = FSM_ACTIVE,
	OS = FSM_OPENSENT,
	OC = FSM_OPENCONFIRM,
	E = FSM_ESTABLISHED
};

/* RFC wording -> action bit */
#define INIT FSM_A_INIT
#define CRC0 FSM_A_CRC_ZERO
#define CRC1 FSM_A_CRC_INC
#define CRT FSM_A_CRT_START
#define CRT0 FSM_A_CRT_STOP
#define CEASE FSM_A_NOTIFY_CEASE
#define HOLDX FSM_A_NOTIFY_HOLD
#define FSMERR FSM_A_NOTIFY_FSM
#define ERR FSM_A_NOTIFY_ERR
#define DROP FSM_A_DROP
#define TCP FSM_A_CONNECT
#define LISTEN FSM_A_LISTEN
#define OPEN FSM_A_SEND_OPEN
#define KA FSM_A_SEND_KEEPALIVE
#define HLARGE FSM_A_HOLD_LARGE
#define HNEG FSM_A_HOLD_NEG
#define HRST FSM_A_HOLD_RESTART
#define KARST FSM_A_KA_RESTART
#define UP FSM_A_PEER_UP
#define PROC FSM_A_PROCESS_UPDATE
#define DELR FSM_A_DELETE_ROUTES
#define REL FSM_A_RELEASE
#define TRACK FSM_A_TRACK_SECOND

struct expect {
	int state, event;
	uint32_t actions;
	int next;
};

static const struct expect rfc[] = {
    /* Idle: ManualStart/AutomaticStart "initializes all BGP resources,
     * sets the ConnectRetryCounter to zero, starts the ConnectRetryTimer,
     * initiates a TCP connection ..., listens ..., changes its state to
     * Connect"; the passive variants "changes its state to Active"
     * without initiating. */
    {I, 1, INIT | CRC0 | CRT | TCP | LISTEN, C},
    {I, 3, INIT | CRC0 | CRT | TCP | LISTEN, C},
    {I, 4, INIT | CRC0 | CRT | LISTEN, A},
    {I, 5, INIT | CRC0 | CRT | LISTEN, A},
    /* Connect */
    {C, 2, DROP | REL | CRC0 | CRT0, I},
    {C, 9, DROP | CRT | TCP, C},
    {C, 16, CRT0 | OPEN | HLARGE, OS},
    {C, 17, CRT0 | OPEN | HLARGE, OS},
    {C, 18, CRT0 | DROP | REL, I},
    {C, 21, CRT0 | REL | DROP | CRC1, I},
    {C, 22, CRT0 | REL | DROP | CRC1, I},
    {C, 24, CRT0 | REL | DROP | CRC1, I},
    {C, 8, CRT0 | DROP | REL | CRC1, I},
    {C, 10, CRT0 | DROP | REL | CRC1, I},
    {C, 11, CRT0 | DROP | REL | CRC1, I},
    {C, 19, CRT0 | DROP | REL | CRC1, I},
    {C, 23, CRT0 | DROP | REL | CRC1, I},
    {C, 25, CRT0 | DROP | REL | CRC1, I},
    {C, 26, CRT0 | DROP | REL | CRC1, I},
    {C, 27, CRT0 | DROP | REL | CRC1, I},
    {C, 28, CRT0 | DROP | REL | CRC1, I},
    /* Active */
    {A, 2, REL | CRC0 | DROP | CRT0, I},
    {A, 9, CRT | TCP | LISTEN, C},
    {A, 16, CRT0 | OPEN | HLARGE, OS},
    {A, 17, CRT0 | OPEN | HLARGE, OS},
    {A, 18, CRT | REL | CRC1, I},
    {A, 21, CRT0 | REL | DROP | CRC1, I},
    {A, 22, CRT0 | REL | DROP | CRC1, I},
    {A, 24, CRT0 | REL | DROP | CRC1, I},
    {A, 8, CRT0 | REL | DROP | CRC1, I},
    {A, 10, CRT0 | REL | DROP | CRC1, I},
    {A, 11, CRT0 | REL | DROP | CRC1, I},
    {A, 19, CRT0 | REL | DROP | CRC1, I},
    {A, 23, CRT0 | REL | DROP | CRC1, I},
    {A, 25, CRT0 | REL | DROP | CRC1, I},
    {A, 26, CRT0 | REL | DROP | CRC1, I},
    {A, 27, CRT0 | REL | DROP | CRC1, I},
    {A, 28, CRT0 | REL | DROP | CRC1, I},
    /* OpenSent */
    {OS, 2, CEASE | CRT0 | REL | DROP | CRC0, I},
    {OS, 8, CEASE | CRT0 | REL | DROP | CRC1, I},
    {OS, 10, HOLDX | CRT0 | REL | DROP | CRC1, I},
    {OS, 16, TRACK, OS},
    {OS, 17, TRACK, OS},
    {OS, 18, DROP | CRT | LISTEN, A},
    {OS, 19, CRT0 | KA | KARST | HNEG, OC},
    {OS, 21, ERR | CRT0 | REL | DROP | CRC1, I},
    {OS, 22, ERR | CRT0 | REL | DROP | CRC1, I},
    {OS, 23, CEASE | CRT0 | REL | DROP | CRC1, I},
    {OS, 24, CRT0 | REL | DROP, I},
    {OS, 9, FSMERR | CRT0 | REL | DROP | CRC1, I},
    {OS, 11, FSMERR | CRT0 | REL | DROP | CRC1, I},
    {OS, 25, FSMERR | CRT0 | REL | DROP | CRC1, I},
    {OS, 26, FSMERR | CRT0 | REL | DROP | CRC1, I},
    {OS, 27, FSMERR | CRT0 | REL | DROP | CRC1, I},
    {OS, 28, FSMERR | CRT0 | REL | DROP | CRC1, I},
    /* OpenConfirm */
    {OC, 2, CEASE | REL | DROP | CRC0 | CRT0, I},
    {OC, 8, CEASE | CRT0 | REL | DROP | CRC1, I},
    {OC, 10, HOLDX | CRT0 | REL | DROP | CRC1, I},
    {OC, 11, KA | KARST, OC},
    {OC, 16, TRACK, OC},
    {OC, 17, TRACK, OC},
    {OC, 18, CRT0 | REL | DROP | CRC1, I},
    {OC, 24, CRT0 | REL | DROP, I},
    {OC, 25, CRT0 | REL | DROP | CRC1, I},
    {OC, 19, CEASE | CRT0 | REL | DROP | CRC1, I},
    {OC, 21, ERR | CRT0 | REL | DROP | CRC1, I},
    {OC, 22, ERR | CRT0 | REL | DROP | CRC1, I},
    {OC, 23, CEASE | CRT0 | REL | DROP | CRC1, I},
    {OC, 26, HRST | UP, E},
    {OC, 9, FSMERR | CRT0 | REL | DROP | CRC1, I},
    {OC, 27, FSMERR | CRT0 | REL | DROP | CRC1, I},
    {OC, 28, FSMERR | CRT0 | REL | DROP | CRC1, I},
    /* Established */
    {E, 2, CEASE | CRT0 | DELR | REL | DROP | CRC0, I},
    {E, 8, CEASE | CRT0 | DELR | REL | DROP | CRC1, I},
    {E, 10, HOLDX | CRT0 | DELR | REL | DROP | CRC1, I},
    {E, 11, KA | KARST, E},
    {E, 16, TRACK, E},
    {E, 17, TRACK, E},
    {E, 23, CEASE | CRT0 | DELR | REL | DROP | CRC1, I},
    {E, 18, CRT0 | DELR | REL | DROP | CRC1, I},
    {E, 24, CRT0 | DELR | REL | DROP | CRC1, I},
    {E, 25, CRT0 | DELR | REL | DROP | CRC1, I},
    {E, 26, HRST, E},
    {E, 27, PROC | HRST, E},
    {E, 28, ERR | CRT0 | DELR | REL | DROP | CRC1, I},
    {E, 9, FSMERR | CRT0 | DELR | REL | DROP | CRC1, I},
    {E, 19, FSMERR | CRT0 | DELR | REL | DROP | CRC1, I},
    {E, 21, FSMERR | CRT0 | DELR | REL | DROP | CRC1, I},
    {E, 22, FSMERR | CRT0 | DELR | REL | DROP | CRC1, I},
};

static const struct expect *find(int state, int event)
{
	for (size_t i = 0; i < sizeof(rfc) / sizeof(rfc[0]); i++)
		if (rfc[i].state == state && rfc[i].event == event)
			return &rfc[i];
	return NULL;
}

/* Every cell: the RFC's sentence, or "ignored" where the RFC says the
 * event is ignored (or needs an optional attribute we set to FALSE). */
static void test_every_cell(void **unused)
{
	(void)unused;
	int checked = 0;

	for (int s = 0; s < FSM_STATE_COUNT; s++) {
		for (int e = 0; e <= FSM_EV_MAX + 2; e++) {
			const struct expect *x = find(s, e);
			struct fsm_result r = fsm_step((enum fsm_state)s, (enum fsm_event)e);
			char where[64];

			snprintf(where, sizeof(where), "%s x %s(%d)", fsm_state_name(s),
				 fsm_event_name(e), e);
			if (x) {
				if (r.actions != x->actions || (int)r.next != x->next)
					fail_msg("%s: actions %#x next %d, want %#x next %d", where,
						 r.actions, r.next, x->actions, x->next);
			} else if (r.actions != 0 || (int)r.next != s) {
				fail_msg("%s: should be ignored", where);
			}
			checked++;
		}
	}
	assert_int_equal(checked, FSM_STATE_COUNT * (FSM_EV_MAX + 3));
}

/* The usual life of a session, active side: Idle -> Connect -> OpenSent
 * -> OpenConfirm -> Established (RFC 4271 s8.2.2), then a NOTIFICATION
 * takes it back to Idle and deletes its routes. */
static void test_happy_path(void **unused)
{
	(void)unused;
	static const enum fsm_event evs[] = {FSM_EV_MANUAL_START, FSM_EV_TCP_CR_ACKED,
					     FSM_EV_BGP_OPEN,	  FSM_EV_KEEPALIVE_MSG,
					     FSM_EV_UPDATE_MSG,	  FSM_EV_NOTIF_MSG};
	static const enum fsm_state want[] = {FSM_CONNECT,     FSM_OPENSENT,	FSM_OPENCONFIRM,
					      FSM_ESTABLISHED, FSM_ESTABLISHED, FSM_IDLE};
	enum fsm_state s = FSM_IDLE;

	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++) {
		struct fsm_result r = fsm_step(s, evs[i]);

		assert_int_equal(r.next, want[i]);
		s = r.next;
		if (evs[i] == FSM_EV_NOTIF_MSG)
			assert_true(r.actions & FSM_A_DELETE_ROUTES);
	}
}

/*
 * RFC 4271 s6.8, both speakers' view of one collision.  Local 192.0.2.1,
 * remote 192.0.2.2: "If the value of the local BGP Identifier is less than
 * the remote one, the local system closes the BGP connection that already
 * exists ... and accepts the BGP connection initiated by the remote
 * system.  Otherwise, the local system closes the newly created BGP
 * connection".  Whatever order the OPENs come in, both sides keep the
 * same TCP connection: the one the higher identifier (192.0.2.2) opened.
 */
static void test_collision_keep(void **unused)
{
	(void)unused;
	const uint32_t lo = 0xc0000201, hi = 0xc0000202;

	/* the RFC's case: the new connection is the remote's */
	assert_true(fsm_collision_keep_new(lo, hi, true, false));  /* remote higher: new */
	assert_false(fsm_collision_keep_new(hi, lo, true, false)); /* local higher: existing */
	/* the new one is our own (the peer's came first) */
	assert_false(fsm_collision_keep_new(lo, hi, false, true)); /* keep the remote's */
	assert_true(fsm_collision_keep_new(hi, lo, false, true));  /* keep ours */
	/* both ends agree: lo keeps the inbound, hi keeps the outbound */
	for (int lo_new_out = 0; lo_new_out < 2; lo_new_out++)
		for (int hi_new_out = 0; hi_new_out < 2; hi_new_out++) {
			bool lo_keeps_out = fsm_collision_keep_new(lo, hi, !lo_new_out,
								   lo_new_out) == (bool)lo_new_out;
			bool hi_keeps_out = fsm_collision_keep_new(hi, lo, !hi_new_out,
								   hi_new_out) == (bool)hi_new_out;

			assert_false(lo_keeps_out); /* lo keeps hi's connection (inbound) */
			assert_true(hi_keeps_out);  /* hi keeps its own */
		}
	/* same direction twice: the peer (or we) started over, the new one */
	assert_true(fsm_collision_keep_new(lo, hi, false, false));
	assert_true(fsm_collision_keep_new(hi, lo, true, true));
}

/* An incoming connection per state (RFC 4271 s8.2.2, s6.8; fsm.h). */
static void test_incoming(void **unused)
{
	(void)unused;
	/* Idle refuses, unless it only waits for its automatic restart */
	assert_int_equal(fsm_incoming(FSM_IDLE, false, false), FSM_IN_REFUSE);
	assert_int_equal(fsm_incoming(FSM_IDLE, false, true), FSM_IN_START_ACCEPT);
	/* Connect: with our own attempt in progress both connections live
	 * (s6.8 decides on the OPEN); without one, the peer's is the session's */
	assert_int_equal(fsm_incoming(FSM_CONNECT, true, false), FSM_IN_SECOND);
	assert_int_equal(fsm_incoming(FSM_CONNECT, false, false), FSM_IN_ACCEPT);
	/* Active: TcpConnectionConfirmed */
	assert_int_equal(fsm_incoming(FSM_ACTIVE, false, false), FSM_IN_ACCEPT);
	/* OpenSent, OpenConfirm: s8.2.2 Events 16/17, tracked per s6.8 */
	assert_int_equal(fsm_incoming(FSM_OPENSENT, false, false), FSM_IN_SECOND);
	assert_int_equal(fsm_incoming(FSM_OPENCONFIRM, false, false), FSM_IN_SECOND);
	/* Established, CollisionDetectEstablishedState FALSE: s6.8 closes the
	 * new connection */
	assert_int_equal(fsm_incoming(FSM_ESTABLISHED, false, false), FSM_IN_REFUSE);
	/* START_ACCEPT's restart event leads to a state that accepts */
	assert_int_equal(fsm_step(FSM_IDLE, FSM_EV_AUTOMATIC_START_PASSIVE).next, FSM_ACTIVE);
	assert_int_equal(
	    fsm_incoming(fsm_step(FSM_IDLE, FSM_EV_AUTOMATIC_START_PASSIVE).next, false, false),
	    FSM_IN_ACCEPT);
}

/* The automatic restart after Idle (fsm.h): connect at once after losing a
 * session the peer took part in, listen after our own attempt failed. */
static void test_restart_event(void **unused)
{
	(void)unused;
	assert_int_equal(fsm_restart_event(FSM_ESTABLISHED), FSM_EV_AUTOMATIC_START);
	assert_int_equal(fsm_restart_event(FSM_OPENCONFIRM), FSM_EV_AUTOMATIC_START);
	assert_int_equal(fsm_restart_event(FSM_OPENSENT), FSM_EV_AUTOMATIC_START);
	assert_int_equal(fsm_restart_event(FSM_CONNECT), FSM_EV_AUTOMATIC_START_PASSIVE);
	assert_int_equal(fsm_restart_event(FSM_ACTIVE), FSM_EV_AUTOMATIC_START_PASSIVE);
	assert_int_equal(fsm_restart_event(FSM_IDLE), FSM_EV_AUTOMATIC_START_PASSIVE);
	/* s8.2.2 Idle: AutomaticStart connects (Connect), the passive one
	 * listens (Active) */
	assert_true(fsm_step(FSM_IDLE, FSM_EV_AUTOMATIC_START).actions & FSM_A_CONNECT);
	assert_false(fsm_step(FSM_IDLE, FSM_EV_AUTOMATIC_START_PASSIVE).actions & FSM_A_CONNECT);
}

static void test_names(void **unused)
{
	(void)unused;
	/* docs/ctl-json.md state names; RFC 4271 s8.1 event names */
	assert_string_equal(fsm_state_name(FSM_OPENCONFIRM), "openconfirm");
	assert_string_equal(fsm_state_name(FSM_ESTABLISHED), "established");
	assert_string_equal(fsm_event_name(FSM_EV_TCP_CR_ACKED), "Tcp_CR_Acked");
	assert_string_equal(fsm_event_name(FSM_EV_OPEN_COLLISION_DUMP), "OpenCollisionDump");
	assert_string_equal(fsm_event_name(99), "unknown");
	assert_string_equal(fsm_state_name(FSM_STATE_COUNT), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_cell), cmocka_unit_test(test_happy_path),
	    cmocka_unit_test(test_names),      cmocka_unit_test(test_collision_keep),
	    cmocka_unit_test(test_incoming),   cmocka_unit_test(test_restart_event),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
