/* The one definition of every record the kernel hands to user space.
 * TypeScript decodes them from this object's BTF (see src/layout.ts), so field
 * offsets are never copied by hand. Padding is explicit so the layout is the same
 * on every compiler. */
#ifndef ZS_EVENTS_H
#define ZS_EVENTS_H

#define ZS_MAX_PAYLOAD 4096 /* power of two: offsets are masked with it */
#define ZS_MAX_IOV 16
#define ZS_COMM_LEN 16
#define ZS_MAX_FILTER 8

enum zs_kind {
	ZS_EV_DATA = 1,     /* socket syscall bytes */
	ZS_EV_TLS_DATA = 2, /* SSL_read/SSL_write plaintext */
	ZS_EV_TCP_STATE = 3,
	ZS_EV_TCP_RETRANS = 4,
	ZS_EV_EXEC = 5,
	ZS_EV_CONNECT = 6,
};

enum zs_dir { ZS_EGRESS = 0, ZS_INGRESS = 1 };
enum zs_side { ZS_SIDE_UNKNOWN = 0, ZS_SIDE_CLIENT = 1, ZS_SIDE_SERVER = 2 };
/* side_flags */
#define ZS_SIDE_GUESSED 1      /* decided by port heuristic, not by connect/accept */
#define ZS_SIDE_FROM_LISTEN 2  /* decided by the listening-port table */

enum zs_proto {
	ZS_P_UNKNOWN = 0, ZS_P_HTTP1, ZS_P_HTTP2, ZS_P_TLS, ZS_P_MYSQL, ZS_P_POSTGRES,
	ZS_P_REDIS, ZS_P_DNS, ZS_P_KAFKA, ZS_P_MQTT, ZS_P_AMQP, ZS_P_NATS, ZS_P_PORT_MATCH,
};

enum zs_stat {
	ZS_ST_EVENTS = 0, ZS_ST_DROPS, ZS_ST_FILTERED, ZS_ST_NOT_L7, ZS_ST_UNSUPPORTED_SYSCALL,
	ZS_ST_TLS_EVENTS, ZS_ST_TCP_EVENTS, ZS_ST_MAX,
};

struct zs_header {
	__u64 ts_ns; /* CLOCK_MONOTONIC */
	__u8 kind;
	__u8 pad[3];
	/* bytes of the record in use, 0 for all: a record built in place in the ring has a
	 * fixed size for the verifier, and the reader copies only what was written */
	__u32 len;
};

/* Socket endpoints as this host sees them: local then remote, IPv4 mapped into IPv6. */
struct zs_tuple {
	__u8 laddr[16];
	__u8 raddr[16];
	__u16 lport;
	__u16 rport;
	__u8 family; /* AF_INET / AF_INET6 */
	__u8 l4;     /* IPPROTO_TCP / IPPROTO_UDP */
	__u8 pad[2];
};

struct zs_data_event {
	struct zs_header h;
	__u64 sock_id;
	__u64 trace_id; /* syscall trace id */
	struct zs_tuple t;
	__u32 pid;
	__u32 tid;
	__s32 fd;
	__u32 tcp_seq;   /* of payload[0]; 0 for UDP and TLS plaintext */
	__u32 cap_seq;   /* per-socket capture sequence: a hole means a lost event */
	__u32 total_len; /* bytes the syscall moved */
	__u32 payload_len;
	__u16 syscall;
	__u8 direction;
	__u8 side;
	__u8 side_flags;
	__u8 proto;
	__u8 pad[6]; /* fixed part is 128 bytes, so payload[] starts at sizeof() */
	char comm[ZS_COMM_LEN];
	__u8 payload[]; /* payload_len bytes follow */
};

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wgnu-variable-sized-type-not-at-end"
struct zs_data_buf {
	struct zs_data_event ev;
	/* twice the maximum: a copy starting below ZS_MAX_PAYLOAD of at most
	 * ZS_MAX_PAYLOAD bytes always stays inside, which is what the verifier checks */
	__u8 payload[2 * ZS_MAX_PAYLOAD];
};
#pragma clang diagnostic pop

struct zs_tcp_event {
	struct zs_header h;
	__u64 sock_id;
	struct zs_tuple t;
	__u32 pid; /* only meaningful for ZS_EV_CONNECT (process context) */
	__s32 fd;
	__u32 seq; /* retransmitted segment's first sequence number */
	__u8 oldstate;
	__u8 newstate;
	__u8 side;
	__u8 pad;
	char comm[ZS_COMM_LEN];
};

struct zs_exec_event {
	struct zs_header h;
	__u32 pid;
	__u32 ppid;
	char comm[ZS_COMM_LEN];
};

/* Kernel-side state, not sent to user space. */
struct zs_sock_state {
	__u64 ctx; /* syscall trace id of the thread that called connect() (assign_trace_id) */
	__u32 cap_seq;
	__u8 side;
	__u8 side_flags;
	__u8 proto;
	__u8 tls_plain;   /* plaintext comes through uprobes: drop ciphertext */
	__u8 ctx_connect; /* ctx is set and the socket has not carried a message yet */
	/* a socks map element (48 B hash header + 8 B key + this) is then 128 B, two whole
	 * cache lines, so the two ends of a loopback connection, written on two CPUs at every
	 * message, never share a line */
	__u8 pad[7 + 48];
};

/* per-thread state in task-local storage (no hash lookup, freed with the task) */
struct zs_thread_state {
	__u64 trace_id;
	__u64 last_tls_sk; /* for memory-BIO TLS (Node): last socket carrying TLS */
	__u64 mmsg_vec;
	__u64 ssl;     /* inside SSL_read/SSL_write: the SSL* ... */
	__u64 ssl_buf; /* ... and its buffer */
	__s32 last_tls_fd;
	__u32 mmsg_idx;
	__u8 last_dir;
	__u8 in_ssl;
	__u8 ssl_is_read;
	__u8 pad[5];
};

struct zs_ssl_key {
	__u32 pid;
	__u32 pad;
	__u64 ssl;
};

struct zs_ssl_sock {
	__u64 sk;
	__s32 fd;
	__u32 pad;
};

#endif
