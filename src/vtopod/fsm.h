/*
 * fsm: the BGP finite state machine of RFC 4271 s8 as a table:
 * (state, event) -> (actions, next state).  Pure: no I/O, no timers, no
 * logging; the session layer carries the actions out in the order the
 * action bits are listed below.
 *
 * Optional session attributes (RFC 4271 s8.1.1) are fixed:
 * AllowAutomaticStart TRUE (the session layer restarts a peer after its
 * idle wait), AllowAutomaticStop TRUE (max-prefix), CollisionDetectEstablishedState
 * FALSE, DampPeerOscillations FALSE, DelayOpen FALSE, PassiveTcpEstablishment
 * per neighbor, SendNOTIFICATIONwithoutOPEN FALSE, TrackTcpState FALSE.
 * Hence the events that need them (6, 7, 12, 13, 14, 15, 20) are not
 * defined here.
 *
 * Connection collisions (RFC 4271 s6.8) are decided here too, as pure
 * functions (fsm_incoming, fsm_collision_keep_new, fsm_restart_event); the
 * session layer carries the decision out.
 *
 * Not for: message parsing, sockets, timers.
 */
#ifndef VTOPO_FSM_H
#define VTOPO_FSM_H

#include <stdbool.h>
#include <stdint.h>

/* RFC 4271 s8.2.2 */
enum fsm_state {
	FSM_IDLE,
	FSM_CONNECT,
	FSM_ACTIVE,
	FSM_OPENSENT,
	FSM_OPENCONFIRM,
	FSM_ESTABLISHED,
	FSM_STATE_COUNT
};

/* RFC 4271 s8.1.2-8.1.5; the value is the RFC's event number. */
enum fsm_event {
	FSM_EV_MANUAL_START = 1,
	FSM_EV_MANUAL_STOP = 2,
	FSM_EV_AUTOMATIC_START = 3,
	FSM_EV_MANUAL_START_PASSIVE = 4,
	FSM_EV_AUTOMATIC_START_PASSIVE = 5,
	FSM_EV_AUTOMATIC_STOP = 8,
	FSM_EV_CONNECT_RETRY_TIMER_EXPIRES = 9,
	FSM_EV_HOLD_TIMER_EXPIRES = 10,
	FSM_EV_KEEPALIVE_TIMER_EXPIRES = 11,
	FSM_EV_TCP_CR_ACKED = 16,
	FSM_EV_TCP_CONNECTION_CONFIRMED = 17,
	FSM_EV_TCP_CONNECTION_FAILS = 18,
	FSM_EV_BGP_OPEN = 19,
	FSM_EV_BGP_HEADER_ERR = 21,
	FSM_EV_BGP_OPEN_MSG_ERR = 22,
	FSM_EV_OPEN_COLLISION_DUMP = 23,
	FSM_EV_NOTIF_MSG_VER_ERR = 24,
	FSM_EV_NOTIF_MSG = 25,
	FSM_EV_KEEPALIVE_MSG = 26,
	FSM_EV_UPDATE_MSG = 27,
	FSM_EV_UPDATE_MSG_ERR = 28,
	FSM_EV_MAX = 28
};

/*
 * Actions, in the order they are carried out.  The RFC's wording:
 * "initializes all BGP resources" (INIT), "sets the ConnectRetryCounter to
 * zero" (CRC_ZERO), "starts/restarts the ConnectRetryTimer" (CRT_START),
 * "sets the ConnectRetryTimer to zero" (CRT_STOP), "initiates a TCP
 * connection" (CONNECT), "listens for a connection" (LISTEN), "sends a
 * NOTIFICATION" (NOTIFY_*: Cease, Hold Timer Expired, FSM Error with the
 * RFC 6608 subcode for the state, or the error the event carries), "sends
 * an OPEN / KEEPALIVE", "sets the HoldTimer to a large value" (HOLD_LARGE),
 * "sets the HoldTimer to the negotiated value" (HOLD_NEG), "restarts the
 * HoldTimer" (HOLD_RESTART, only if the negotiated HoldTime is non-zero),
 * "restarts the KeepaliveTimer" (KA_RESTART), "completes BGP
 * initialization" (PEER_UP), "processes the message" (PROCESS_UPDATE),
 * "deletes all routes associated with this connection" (DELETE_ROUTES),
 * "drops the TCP connection" (DROP), "releases all BGP resources"
 * (RELEASE), "increments the ConnectRetryCounter" (CRC_INC),
 * "tracks the second connection" (TRACK_SECOND, s6.8).
 */
enum fsm_action {
	FSM_A_INIT = 1u << 0,
	FSM_A_CRC_ZERO = 1u << 1,
	FSM_A_CRT_START = 1u << 2,
	FSM_A_CRT_STOP = 1u << 3,
	FSM_A_NOTIFY_CEASE = 1u << 4,
	FSM_A_NOTIFY_HOLD = 1u << 5,
	FSM_A_NOTIFY_FSM = 1u << 6,
	FSM_A_NOTIFY_ERR = 1u << 7,
	FSM_A_DROP = 1u << 8, /* before CONNECT: a retry replaces the attempt */
	FSM_A_CONNECT = 1u << 9,
	FSM_A_LISTEN = 1u << 10,
	FSM_A_SEND_OPEN = 1u << 11,
	FSM_A_SEND_KEEPALIVE = 1u << 12,
	FSM_A_HOLD_LARGE = 1u << 13,
	FSM_A_HOLD_NEG = 1u << 14,
	FSM_A_HOLD_RESTART = 1u << 15,
	FSM_A_KA_RESTART = 1u << 16,
	FSM_A_PEER_UP = 1u << 17,
	FSM_A_PROCESS_UPDATE = 1u << 18,
	FSM_A_DELETE_ROUTES = 1u << 19,
	FSM_A_RELEASE = 1u << 20,
	FSM_A_CRC_INC = 1u << 21,
	FSM_A_TRACK_SECOND = 1u << 22,
};

struct fsm_result {
	uint32_t actions; /* enum fsm_action bits; 0 = event ignored */
	enum fsm_state next;
};

/* The transition for (state, event).  Events the table does not define
 * (6, 7, 12-15, 20, out of range) are ignored: actions 0, same state. */
struct fsm_result fsm_step(enum fsm_state state, enum fsm_event event);

/*
 * What to do with an incoming TCP connection from the peer (RFC 4271
 * s8.2.2, s6.8).  connecting: our own connection attempt is in progress;
 * restart_pending: the session waits in Idle for its automatic restart.
 *   REFUSE        Established (CollisionDetectEstablishedState FALSE, s6.8:
 *                 the new connection is closed), Idle stopped by hand
 *   ACCEPT        Connect, Active: TcpConnectionConfirmed on it
 *   SECOND        our own attempt in Connect, or OpenSent/OpenConfirm: both
 *                 connections live on, OPEN sent on the new one, and the
 *                 peer's OPEN on it decides which stays (s6.8)
 *   START_ACCEPT  Idle waiting for its automatic restart: the restart
 *                 (Event 5) happens now, then ACCEPT.  Idle refuses
 *                 connections (s8.2.2), but the wait is our choice (no
 *                 DampPeerOscillations): refusing here is what kept two
 *                 vtopods that started a second apart waiting for a whole
 *                 ConnectRetryTime, both listening.
 */
enum fsm_incoming { FSM_IN_REFUSE, FSM_IN_ACCEPT, FSM_IN_SECOND, FSM_IN_START_ACCEPT };
enum fsm_incoming fsm_incoming(enum fsm_state state, bool connecting, bool restart_pending);

/*
 * RFC 4271 s6.8: of an existing connection and a new one whose OPEN just
 * arrived, true when the new one stays.  "the connection initiated by the
 * BGP speaker with the higher-valued BGP Identifier" (compared as host
 * order integers) is kept; two connections in the same direction are the
 * peer (or us) starting over, and the new one replaces the old.
 */
bool fsm_collision_keep_new(uint32_t local_id, uint32_t remote_id, bool existing_outbound,
			    bool new_outbound);

/*
 * The automatic restart after Idle (RFC 4271 s8.1.1 AllowAutomaticStart).
 * After the loss of a session that had reached OpenSent or beyond, the
 * peer was there and has most likely gone Idle too: AutomaticStart (Event
 * 3) connects at once, so that two speakers do not both sit in Active
 * listening until a ConnectRetryTime passes.  Otherwise (our connection
 * attempt failed) AutomaticStart_with_PassiveTcpEstablishment (Event 5):
 * listen, and try again on the ConnectRetryTimer, so that a peer that is
 * not there is not called every second.
 */
enum fsm_event fsm_restart_event(enum fsm_state left);

const char *fsm_state_name(enum fsm_state s); /* "idle", ... (docs/ctl-json.md) */
const char *fsm_event_name(enum fsm_event e); /* "ManualStart", ... (RFC names) */

#endif
