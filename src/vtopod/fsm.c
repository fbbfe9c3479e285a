/*
 * fsm: RFC 4271 s8.2.2, one table row per state, one cell per event.
 * Every cell cites the paragraph of s8.2.2 it implements (by state and
 * event number); a cell left empty means "ignored" (no action, same
 * state).  See fsm.h for the optional attributes assumed.
 *
 * Not for: carrying the actions out (session.c).
 */
#include "vtopod/fsm.h"

#include <stdbool.h>
#include <stddef.h>

/* Recurring action sets, named after the RFC sentences they stand for. */
/* "sets the ConnectRetryTimer to zero, releases all BGP resources, drops
 * the TCP connection, increments the ConnectRetryCounter by 1" */
#define TO_IDLE_INC (FSM_A_CRT_STOP | FSM_A_RELEASE | FSM_A_DROP | FSM_A_CRC_INC)
/* the same without incrementing the counter (ManualStop sets it to zero) */
#define TO_IDLE_ZERO (FSM_A_CRT_STOP | FSM_A_RELEASE | FSM_A_DROP | FSM_A_CRC_ZERO)
/* "initializes all BGP resources ..., sets the ConnectRetryCounter to zero,
 * starts the ConnectRetryTimer with the initial value" */
#define START (FSM_A_INIT | FSM_A_CRC_ZERO | FSM_A_CRT_START)
/* "stops the ConnectRetryTimer and sets it to zero, completes BGP
 * initialization, sends an OPEN message, sets the HoldTimer to a large value" */
#define TCP_UP (FSM_A_CRT_STOP | FSM_A_SEND_OPEN | FSM_A_HOLD_LARGE)

#define CELL(a, s)                                                                                 \
	{                                                                                          \
		(a), (s)                                                                           \
	}
#define STAY(s)                                                                                    \
	{                                                                                          \
		0, (s)                                                                             \
	}

static const struct fsm_result table[FSM_STATE_COUNT][FSM_EV_MAX + 1] =
    {
	[FSM_IDLE] =
	    {
		/* s8.2.2 Idle: ManualStart / AutomaticStart: initialize, CRC = 0,
		 * start the ConnectRetryTimer, initiate a TCP connection, listen ->
		 * Connect. */
		[FSM_EV_MANUAL_START] = CELL(START | FSM_A_CONNECT | FSM_A_LISTEN, FSM_CONNECT),
		[FSM_EV_AUTOMATIC_START] = CELL(START | FSM_A_CONNECT | FSM_A_LISTEN, FSM_CONNECT),
		/* ..._with_PassiveTcpEstablishment (Events 4, 5): the same but only
		 * listen -> Active. */
		[FSM_EV_MANUAL_START_PASSIVE] = CELL(START | FSM_A_LISTEN, FSM_ACTIVE),
		[FSM_EV_AUTOMATIC_START_PASSIVE] = CELL(START | FSM_A_LISTEN, FSM_ACTIVE),
		/* "The ManualStop event (Event 2) and AutomaticStop (Event 8) event
		 * are ignored in the Idle state."  "Any other event (Events 9-12,
		 * 15-28) received in the Idle state does not cause change in the
		 * state of the local system." */
	    },
	[FSM_CONNECT] =
	    {
		/* s8.2.2 Connect: "the start events (Events 1, 3-7) are ignored" */
		/* ManualStop: drop TCP, release, CRC = 0, CRT = 0 -> Idle */
		[FSM_EV_MANUAL_STOP] = CELL(TO_IDLE_ZERO, FSM_IDLE),
		/* ConnectRetryTimer_Expires: drop the TCP connection, restart the
		 * ConnectRetryTimer, initiate a TCP connection, stay. */
		[FSM_EV_CONNECT_RETRY_TIMER_EXPIRES] =
		    CELL(FSM_A_DROP | FSM_A_CRT_START | FSM_A_CONNECT, FSM_CONNECT),
		/* Tcp_CR_Acked / TcpConnectionConfirmed, DelayOpen FALSE: stop CRT,
		 * complete initialization, send OPEN, HoldTimer large -> OpenSent */
		[FSM_EV_TCP_CR_ACKED] = CELL(TCP_UP, FSM_OPENSENT),
		[FSM_EV_TCP_CONNECTION_CONFIRMED] = CELL(TCP_UP, FSM_OPENSENT),
		/* TcpConnectionFails with the DelayOpenTimer not running: stop CRT,
		 * drop the TCP connection, release all resources -> Idle */
		[FSM_EV_TCP_CONNECTION_FAILS] =
		    CELL(FSM_A_CRT_STOP | FSM_A_DROP | FSM_A_RELEASE, FSM_IDLE),
		/* BGPHeaderErr / BGPOpenMsgErr (SendNOTIFICATIONwithoutOPEN FALSE):
		 * CRT = 0, release, drop, CRC + 1 -> Idle */
		[FSM_EV_BGP_HEADER_ERR] = CELL(TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_BGP_OPEN_MSG_ERR] = CELL(TO_IDLE_INC, FSM_IDLE),
		/* NotifMsgVerErr, DelayOpenTimer not running: the same */
		[FSM_EV_NOTIF_MSG_VER_ERR] = CELL(TO_IDLE_INC, FSM_IDLE),
		/* "any other event (Events 8, 10-11, 13, 19, 23, 25-28)": stop CRT,
		 * drop, release, CRC + 1 -> Idle */
		[FSM_EV_AUTOMATIC_STOP] = CELL(TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_HOLD_TIMER_EXPIRES] = CELL(TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_KEEPALIVE_TIMER_EXPIRES] = CELL(TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_BGP_OPEN] = CELL(TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_OPEN_COLLISION_DUMP] = CELL(TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_NOTIF_MSG] = CELL(TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_KEEPALIVE_MSG] = CELL(TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_UPDATE_MSG] = CELL(TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_UPDATE_MSG_ERR] = CELL(TO_IDLE_INC, FSM_IDLE),
	    },
	[FSM_ACTIVE] =
	    {
		/* s8.2.2 Active: "the start events (Events 1, 3-7) are ignored" */
		/* ManualStop: release, CRC = 0, drop, CRT = 0 -> Idle */
		[FSM_EV_MANUAL_STOP] = CELL(TO_IDLE_ZERO, FSM_IDLE),
		/* ConnectRetryTimer_Expires: restart CRT, initiate a TCP connection,
		 * continue to listen -> Connect */
		[FSM_EV_CONNECT_RETRY_TIMER_EXPIRES] =
		    CELL(FSM_A_CRT_START | FSM_A_CONNECT | FSM_A_LISTEN, FSM_CONNECT),
		/* Tcp_CR_Acked / TcpConnectionConfirmed, DelayOpen FALSE: CRT = 0,
		 * complete initialization, send OPEN, HoldTimer large -> OpenSent */
		[FSM_EV_TCP_CR_ACKED] = CELL(TCP_UP, FSM_OPENSENT),
		[FSM_EV_TCP_CONNECTION_CONFIRMED] = CELL(TCP_UP, FSM_OPENSENT),
		/* TcpConnectionFails: restart CRT, release, CRC + 1 -> Idle */
		[FSM_EV_TCP_CONNECTION_FAILS] =
		    CELL(FSM_A_CRT_START | FSM_A_RELEASE | FSM_A_CRC_INC, FSM_IDLE),
		/* BGPHeaderErr / BGPOpenMsgErr: CRT = 0, release, drop, CRC + 1 */
		[FSM_EV_BGP_HEADER_ERR] = CELL(TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_BGP_OPEN_MSG_ERR] = CELL(TO_IDLE_INC, FSM_IDLE),
		/* NotifMsgVerErr, DelayOpenTimer not running: CRT = 0, release, drop,
		 * CRC + 1 -> Idle */
		[FSM_EV_NOTIF_MSG_VER_ERR] = CELL(TO_IDLE_INC, FSM_IDLE),
		/* "any other event (Events 8, 10-11, 13, 19, 23, 25-28)": CRT = 0,
		 * release, drop, CRC + 1 -> Idle */
		[FSM_EV_AUTOMATIC_STOP] = CELL(TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_HOLD_TIMER_EXPIRES] = CELL(TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_KEEPALIVE_TIMER_EXPIRES] = CELL(TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_BGP_OPEN] = CELL(TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_OPEN_COLLISION_DUMP] = CELL(TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_NOTIF_MSG] = CELL(TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_KEEPALIVE_MSG] = CELL(TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_UPDATE_MSG] = CELL(TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_UPDATE_MSG_ERR] = CELL(TO_IDLE_INC, FSM_IDLE),
	    },
	[FSM_OPENSENT] =
	    {
		/* s8.2.2 OpenSent: "Events 1, 3-7 are ignored" */
		/* ManualStop: NOTIFICATION Cease, CRT = 0, release, drop, CRC = 0 */
		[FSM_EV_MANUAL_STOP] = CELL(FSM_A_NOTIFY_CEASE | TO_IDLE_ZERO, FSM_IDLE),
		/* AutomaticStop: NOTIFICATION Cease, ..., CRC + 1 -> Idle */
		[FSM_EV_AUTOMATIC_STOP] = CELL(FSM_A_NOTIFY_CEASE | TO_IDLE_INC, FSM_IDLE),
		/* HoldTimer_Expires: NOTIFICATION Hold Timer Expired, CRT = 0,
		 * release, drop, CRC + 1 -> Idle */
		[FSM_EV_HOLD_TIMER_EXPIRES] = CELL(FSM_A_NOTIFY_HOLD | TO_IDLE_INC, FSM_IDLE),
		/* Tcp_CR_Acked / TcpConnectionConfirmed: "a second TCP connection may
		 * be in progress ... tracked per Connection Collision processing
		 * (Section 6.8) until an OPEN message is received" */
		[FSM_EV_TCP_CR_ACKED] = CELL(FSM_A_TRACK_SECOND, FSM_OPENSENT),
		[FSM_EV_TCP_CONNECTION_CONFIRMED] = CELL(FSM_A_TRACK_SECOND, FSM_OPENSENT),
		/* TcpConnectionFails: close the BGP connection, restart CRT, continue
		 * to listen -> Active */
		[FSM_EV_TCP_CONNECTION_FAILS] =
		    CELL(FSM_A_DROP | FSM_A_CRT_START | FSM_A_LISTEN, FSM_ACTIVE),
		/* BGPOpen (collision detection done, this connection kept): CRT = 0,
		 * send KEEPALIVE, KeepaliveTimer initial value, HoldTimer negotiated
		 * -> OpenConfirm */
		[FSM_EV_BGP_OPEN] =
		    CELL(FSM_A_CRT_STOP | FSM_A_SEND_KEEPALIVE | FSM_A_KA_RESTART | FSM_A_HOLD_NEG,
			 FSM_OPENCONFIRM),
		/* BGPHeaderErr / BGPOpenMsgErr: NOTIFICATION with the error, CRT = 0,
		 * release, drop, CRC + 1 -> Idle */
		[FSM_EV_BGP_HEADER_ERR] = CELL(FSM_A_NOTIFY_ERR | TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_BGP_OPEN_MSG_ERR] = CELL(FSM_A_NOTIFY_ERR | TO_IDLE_INC, FSM_IDLE),
		/* OpenCollisionDump: NOTIFICATION Cease, CRT = 0, release, drop,
		 * CRC + 1 -> Idle */
		[FSM_EV_OPEN_COLLISION_DUMP] = CELL(FSM_A_NOTIFY_CEASE | TO_IDLE_INC, FSM_IDLE),
		/* NotifMsgVerErr: CRT = 0, release, drop -> Idle (no increment) */
		[FSM_EV_NOTIF_MSG_VER_ERR] =
		    CELL(FSM_A_CRT_STOP | FSM_A_RELEASE | FSM_A_DROP, FSM_IDLE),
		/* "any other event (Events 9, 11-14, 20, 25-28)": NOTIFICATION FSM
		 * Error, CRT = 0, release, drop, CRC + 1 -> Idle */
		[FSM_EV_CONNECT_RETRY_TIMER_EXPIRES] =
		    CELL(FSM_A_NOTIFY_FSM | TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_KEEPALIVE_TIMER_EXPIRES] = CELL(FSM_A_NOTIFY_FSM | TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_NOTIF_MSG] = CELL(FSM_A_NOTIFY_FSM | TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_KEEPALIVE_MSG] = CELL(FSM_A_NOTIFY_FSM | TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_UPDATE_MSG] = CELL(FSM_A_NOTIFY_FSM | TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_UPDATE_MSG_ERR] = CELL(FSM_A_NOTIFY_FSM | TO_IDLE_INC, FSM_IDLE),
	    },
	[FSM_OPENCONFIRM] =
	    {
		/* s8.2.2 OpenConfirm: "Events 1, 3-7 are ignored" */
		/* ManualStop: NOTIFICATION Cease, release, drop, CRC = 0, CRT = 0 */
		[FSM_EV_MANUAL_STOP] = CELL(FSM_A_NOTIFY_CEASE | TO_IDLE_ZERO, FSM_IDLE),
		/* AutomaticStop: NOTIFICATION Cease, CRT = 0, release, drop, CRC + 1 */
		[FSM_EV_AUTOMATIC_STOP] = CELL(FSM_A_NOTIFY_CEASE | TO_IDLE_INC, FSM_IDLE),
		/* HoldTimer_Expires: NOTIFICATION Hold Timer Expired, ... CRC + 1 */
		[FSM_EV_HOLD_TIMER_EXPIRES] = CELL(FSM_A_NOTIFY_HOLD | TO_IDLE_INC, FSM_IDLE),
		/* KeepaliveTimer_Expires: send KEEPALIVE, restart the KeepaliveTimer */
		[FSM_EV_KEEPALIVE_TIMER_EXPIRES] =
		    CELL(FSM_A_SEND_KEEPALIVE | FSM_A_KA_RESTART, FSM_OPENCONFIRM),
		/* Tcp_CR_Acked / TcpConnectionConfirmed: track the second connection */
		[FSM_EV_TCP_CR_ACKED] = CELL(FSM_A_TRACK_SECOND, FSM_OPENCONFIRM),
		[FSM_EV_TCP_CONNECTION_CONFIRMED] = CELL(FSM_A_TRACK_SECOND, FSM_OPENCONFIRM),
		/* TcpConnectionFails: CRT = 0, release, drop, CRC + 1 -> Idle */
		[FSM_EV_TCP_CONNECTION_FAILS] = CELL(TO_IDLE_INC, FSM_IDLE),
		/* NotifMsgVerErr: CRT = 0, release, drop -> Idle (no increment) */
		[FSM_EV_NOTIF_MSG_VER_ERR] =
		    CELL(FSM_A_CRT_STOP | FSM_A_RELEASE | FSM_A_DROP, FSM_IDLE),
		/* NotifMsg: CRT = 0, release, drop, CRC + 1 -> Idle */
		[FSM_EV_NOTIF_MSG] = CELL(TO_IDLE_INC, FSM_IDLE),
		/* BGPOpen: "the collision detect function is processed per Section
		 * 6.8.  If this connection is to be dropped due to connection
		 * collision": NOTIFICATION Cease, CRT = 0, release, drop, CRC + 1.
		 * The RFC gives no other outcome for an OPEN in OpenConfirm; the
		 * session layer raises this event only for the OPEN of a connection
		 * that lost (OpenCollisionDump otherwise). */
		[FSM_EV_BGP_OPEN] = CELL(FSM_A_NOTIFY_CEASE | TO_IDLE_INC, FSM_IDLE),
		/* BGPHeaderErr / BGPOpenMsgErr: NOTIFICATION with the error, CRT = 0,
		 * release, drop, CRC + 1 -> Idle */
		[FSM_EV_BGP_HEADER_ERR] = CELL(FSM_A_NOTIFY_ERR | TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_BGP_OPEN_MSG_ERR] = CELL(FSM_A_NOTIFY_ERR | TO_IDLE_INC, FSM_IDLE),
		/* OpenCollisionDump: NOTIFICATION Cease, CRT = 0, release, drop,
		 * CRC + 1 -> Idle */
		[FSM_EV_OPEN_COLLISION_DUMP] = CELL(FSM_A_NOTIFY_CEASE | TO_IDLE_INC, FSM_IDLE),
		/* KeepAliveMsg: restart the HoldTimer -> Established */
		[FSM_EV_KEEPALIVE_MSG] = CELL(FSM_A_HOLD_RESTART | FSM_A_PEER_UP, FSM_ESTABLISHED),
		/* "any other event (Events 9, 12-13, 20, 27-28)": NOTIFICATION FSM
		 * Error, CRT = 0, release, drop, CRC + 1 -> Idle */
		[FSM_EV_CONNECT_RETRY_TIMER_EXPIRES] =
		    CELL(FSM_A_NOTIFY_FSM | TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_UPDATE_MSG] = CELL(FSM_A_NOTIFY_FSM | TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_UPDATE_MSG_ERR] = CELL(FSM_A_NOTIFY_FSM | TO_IDLE_INC, FSM_IDLE),
	    },
	[FSM_ESTABLISHED] =
	    {
		/* s8.2.2 Established: "Events 1, 3-7 are ignored" */
		/* ManualStop: NOTIFICATION Cease, CRT = 0, delete all routes,
		 * release, drop, CRC = 0 -> Idle */
		[FSM_EV_MANUAL_STOP] =
		    CELL(FSM_A_NOTIFY_CEASE | FSM_A_DELETE_ROUTES | TO_IDLE_ZERO, FSM_IDLE),
		/* AutomaticStop: NOTIFICATION Cease, CRT = 0, delete all routes,
		 * release, drop, CRC + 1 -> Idle */
		[FSM_EV_AUTOMATIC_STOP] =
		    CELL(FSM_A_NOTIFY_CEASE | FSM_A_DELETE_ROUTES | TO_IDLE_INC, FSM_IDLE),
		/* HoldTimer_Expires: NOTIFICATION Hold Timer Expired, CRT = 0,
		 * release, drop, CRC + 1 -> Idle (routes go with the resources) */
		[FSM_EV_HOLD_TIMER_EXPIRES] =
		    CELL(FSM_A_NOTIFY_HOLD | FSM_A_DELETE_ROUTES | TO_IDLE_INC, FSM_IDLE),
		/* KeepaliveTimer_Expires: send KEEPALIVE, restart KeepaliveTimer */
		[FSM_EV_KEEPALIVE_TIMER_EXPIRES] =
		    CELL(FSM_A_SEND_KEEPALIVE | FSM_A_KA_RESTART, FSM_ESTABLISHED),
		/* Tcp_CR_Acked / TcpConnectionConfirmed: "the second connection
		 * SHALL be tracked until it sends an OPEN message" */
		[FSM_EV_TCP_CR_ACKED] = CELL(FSM_A_TRACK_SECOND, FSM_ESTABLISHED),
		[FSM_EV_TCP_CONNECTION_CONFIRMED] = CELL(FSM_A_TRACK_SECOND, FSM_ESTABLISHED),
		/* OpenCollisionDump (CollisionDetectEstablishedState): NOTIFICATION
		 * Cease, CRT = 0, delete routes, release, drop, CRC + 1 -> Idle */
		[FSM_EV_OPEN_COLLISION_DUMP] =
		    CELL(FSM_A_NOTIFY_CEASE | FSM_A_DELETE_ROUTES | TO_IDLE_INC, FSM_IDLE),
		/* NotifMsgVerErr / NotifMsg / TcpConnectionFails: CRT = 0, delete
		 * all routes, release, drop, CRC + 1 -> Idle */
		[FSM_EV_NOTIF_MSG_VER_ERR] = CELL(FSM_A_DELETE_ROUTES | TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_NOTIF_MSG] = CELL(FSM_A_DELETE_ROUTES | TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_TCP_CONNECTION_FAILS] = CELL(FSM_A_DELETE_ROUTES | TO_IDLE_INC, FSM_IDLE),
		/* KeepAliveMsg: restart the HoldTimer (if non-zero) */
		[FSM_EV_KEEPALIVE_MSG] = CELL(FSM_A_HOLD_RESTART, FSM_ESTABLISHED),
		/* UpdateMsg: process the message, restart the HoldTimer */
		[FSM_EV_UPDATE_MSG] =
		    CELL(FSM_A_PROCESS_UPDATE | FSM_A_HOLD_RESTART, FSM_ESTABLISHED),
		/* UpdateMsgErr: NOTIFICATION Update Error, CRT = 0, delete routes,
		 * release, drop, CRC + 1 -> Idle */
		[FSM_EV_UPDATE_MSG_ERR] =
		    CELL(FSM_A_NOTIFY_ERR | FSM_A_DELETE_ROUTES | TO_IDLE_INC, FSM_IDLE),
		/* "any other event (Events 9, 12-13, 20-22)": NOTIFICATION FSM Error,
		 * CRT = 0, delete routes, release, drop, CRC + 1 -> Idle.  An OPEN on
		 * the established connection itself (Event 19 without
		 * CollisionDetectEstablishedState) is answered the same way, as
		 * RFC 6608 s4 (unexpected message in Established). */
		[FSM_EV_CONNECT_RETRY_TIMER_EXPIRES] =
		    CELL(FSM_A_NOTIFY_FSM | FSM_A_DELETE_ROUTES | TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_BGP_HEADER_ERR] =
		    CELL(FSM_A_NOTIFY_FSM | FSM_A_DELETE_ROUTES | TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_BGP_OPEN_MSG_ERR] =
		    CELL(FSM_A_NOTIFY_FSM | FSM_A_DELETE_ROUTES | TO_IDLE_INC, FSM_IDLE),
		[FSM_EV_BGP_OPEN] =
		    CELL(FSM_A_NOTIFY_FSM | FSM_A_DELETE_ROUTES | TO_IDLE_INC, FSM_IDLE),
	    },
};

/* Events the table defines (the others need optional attributes we fix
 * to FALSE, see fsm.h). */
static bool event_defined(enum fsm_event e)
{
	switch (e) {
	case FSM_EV_MANUAL_START:
	case FSM_EV_MANUAL_STOP:
	case FSM_EV_AUTOMATIC_START:
	case FSM_EV_MANUAL_START_PASSIVE:
	case FSM_EV_AUTOMATIC_START_PASSIVE:
	case FSM_EV_AUTOMATIC_STOP:
	case FSM_EV_CONNECT_RETRY_TIMER_EXPIRES:
	case FSM_EV_HOLD_TIMER_EXPIRES:
	case FSM_EV_KEEPALIVE_TIMER_EXPIRES:
	case FSM_EV_TCP_CR_ACKED:
	case FSM_EV_TCP_CONNECTION_CONFIRMED:
	case FSM_EV_TCP_CONNECTION_FAILS:
	case FSM_EV_BGP_OPEN:
	case FSM_EV_BGP_HEADER_ERR:
	case FSM_EV_BGP_OPEN_MSG_ERR:
	case FSM_EV_OPEN_COLLISION_DUMP:
	case FSM_EV_NOTIF_MSG_VER_ERR:
	case FSM_EV_NOTIF_MSG:
	case FSM_EV_KEEPALIVE_MSG:
	case FSM_EV_UPDATE_MSG:
	case FSM_EV_UPDATE_MSG_ERR:
		return true;
	}
	return false;
}

struct fsm_result fsm_step(enum fsm_state state, enum fsm_event event)
{
	struct fsm_result r;

	if ((unsigned)state >= FSM_STATE_COUNT)
		return (struct fsm_result)STAY(FSM_IDLE);
	if (!event_defined(event))
		return (struct fsm_result)STAY(state);
	r = table[state][event];
	if (r.actions == 0)
		r.next = state; /* an empty cell: ignored */
	return r;
}

enum fsm_incoming fsm_incoming(enum fsm_state state, bool connecting, bool restart_pending)
{
	switch (state) {
	case FSM_IDLE:
		return restart_pending ? FSM_IN_START_ACCEPT : FSM_IN_REFUSE;
	case FSM_CONNECT:
		/* s6.8: our connection and the peer's may cross; closing ours
		 * for the peer's, as both sides would, loses both */
		return connecting ? FSM_IN_SECOND : FSM_IN_ACCEPT;
	case FSM_ACTIVE:
		return FSM_IN_ACCEPT;
	case FSM_OPENSENT:
	case FSM_OPENCONFIRM:
		/* s8.2.2 OpenSent/OpenConfirm, Events 16/17: tracked per s6.8 */
		return FSM_IN_SECOND;
	case FSM_ESTABLISHED:
	case FSM_STATE_COUNT:
		break;
	}
	return FSM_IN_REFUSE;
}

bool fsm_collision_keep_new(uint32_t local_id, uint32_t remote_id, bool existing_outbound,
			    bool new_outbound)
{
	/* s6.8: "If the value of the local BGP Identifier is less than the
	 * remote one, the local system closes the BGP connection that
	 * already exists ... and accepts the BGP connection initiated by the
	 * remote system.  Otherwise, the local system closes the newly
	 * created BGP connection" - the one the higher identifier initiated
	 * stays, whichever of the two is new. */
	bool keep_outbound = local_id > remote_id;

	if (existing_outbound == new_outbound)
		return true;
	return new_outbound == keep_outbound;
}

enum fsm_event fsm_restart_event(enum fsm_state left)
{
	return left >= FSM_OPENSENT && left < FSM_STATE_COUNT ? FSM_EV_AUTOMATIC_START
							      : FSM_EV_AUTOMATIC_START_PASSIVE;
}

static const char *const state_names[FSM_STATE_COUNT] = {
    "idle", "connect", "active", "opensent", "openconfirm", "established",
};

const char *fsm_state_name(enum fsm_state s)
{
	return (unsigned)s < FSM_STATE_COUNT ? state_names[s] : "unknown";
}

static const char *const event_names[FSM_EV_MAX + 1] = {
    [1] = "ManualStart",
    [2] = "ManualStop",
    [3] = "AutomaticStart",
    [4] = "ManualStart_with_PassiveTcpEstablishment",
    [5] = "AutomaticStart_with_PassiveTcpEstablishment",
    [6] = "AutomaticStart_with_DampPeerOscillations",
    [7] = "AutomaticStart_with_DampPeerOscillations_and_PassiveTcpEstablishment",
    [8] = "AutomaticStop",
    [9] = "ConnectRetryTimer_Expires",
    [10] = "HoldTimer_Expires",
    [11] = "KeepaliveTimer_Expires",
    [12] = "DelayOpenTimer_Expires",
    [13] = "IdleHoldTimer_Expires",
    [14] = "TcpConnection_Valid",
    [15] = "Tcp_CR_Invalid",
    [16] = "Tcp_CR_Acked",
    [17] = "TcpConnectionConfirmed",
    [18] = "TcpConnectionFails",
    [19] = "BGPOpen",
    [20] = "BGPOpen with DelayOpenTimer running",
    [21] = "BGPHeaderErr",
    [22] = "BGPOpenMsgErr",
    [23] = "OpenCollisionDump",
    [24] = "NotifMsgVerErr",
    [25] = "NotifMsg",
    [26] = "KeepAliveMsg",
    [27] = "UpdateMsg",
    [28] = "UpdateMsgErr",
};

const char *fsm_event_name(enum fsm_event e)
{
	return ((unsigned)e <= FSM_EV_MAX && event_names[e]) ? event_names[e] : "unknown";
}
