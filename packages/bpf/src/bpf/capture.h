/* Config, maps and small helpers shared by the capture programs. */
#ifndef ZS_CAPTURE_H
#define ZS_CAPTURE_H

#include "events.h"

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define MSG_PEEK 0x2
#define RCV_SHUTDOWN 1
#define PF_KTHREAD 0x00200000
#define PF_IO_WORKER 0x00000010
/* small writes (headers, acks, keep-alives) take a small ring record */
#define ZS_SMALL_PAYLOAD 256

/* x86_64 syscall numbers: the programs read the interrupted syscall from pt_regs */
#define NR_read 0
#define NR_write 1
#define NR_close 3
#define NR_readv 19
#define NR_writev 20
#define NR_connect 42
#define NR_sendto 44
#define NR_recvfrom 45
#define NR_sendmsg 46
#define NR_recvmsg 47
#define NR_recvmmsg 299
#define NR_sendmmsg 307

/* Read-only config, written by user space before load (the verifier then prunes
 * disabled branches as dead code). */
const volatile __u32 cfg_self_pid = 0;
const volatile __u32 cfg_payload_size = 1024;
const volatile __u32 cfg_npids = 0;
const volatile __u32 cfg_pids[ZS_MAX_FILTER] = {};
const volatile __u32 cfg_nexclude = 0;
const volatile __u32 cfg_exclude[ZS_MAX_FILTER] = {};
const volatile __u32 cfg_nports = 0;
const volatile __u16 cfg_ports[ZS_MAX_FILTER] = {};
const volatile __u32 cfg_ncomms = 0;
const volatile char cfg_comms[4][ZS_COMM_LEN] = {};
const volatile __u8 cfg_infer = 1;
const volatile __u8 cfg_tls = 1;
const volatile __u64 cfg_wakeup_bytes = 256 * 1024;

/* One ring per CPU: a shared ring's lock and producer position bounced between CPUs at
 * every record (~150 ns per event with a client and a server on two CPUs). User space
 * creates the rings (ringOpen) and merges them in timestamp order; a CPU without a ring
 * counts its records as drops. */
#define ZS_MAX_CPUS 256
struct zs_ring {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024); /* the template only: user space sizes the rings */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, ZS_MAX_CPUS);
	__type(key, __u32);
	__array(values, struct zs_ring);
} rings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct zs_data_buf);
} data_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct zs_tcp_event);
} tcp_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct zs_exec_event);
} exec_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ZS_ST_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* bytes written to this CPU's ring since it last woke the reader (wakeup_flags) */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} wake_bytes SEC(".maps");

/* per-CPU trace id generator: ids are (counter << 8 | cpu), unique without atomics */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} trace_ids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64); /* struct sock * */
	__type(value, struct zs_sock_state);
} socks SEC(".maps");

/* Socket state for tp_btf programs: storage on the socket itself (freed with it; ~55 ns
 * less per captured message than the `socks` hash in bench A/B here). raw_tp and uprobe
 * programs cannot use it and keep `socks`; the TCP state hook writes a socket's side and
 * connect context to both. */
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct zs_sock_state);
} sock_store SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct zs_thread_state);
} threads SEC(".maps");

/* local listening ports: seeded from /proc/net by user space, kept by inet_sock_set_state */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u16);
	__type(value, __u8);
} listen_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct zs_ssl_key);
	__type(value, struct zs_ssl_sock);
} ssl_socks SEC(".maps");

static __always_inline void stat_inc(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);
	if (v)
		*v += 1;
}

static __always_inline int pid_allowed(__u32 pid)
{
	if (pid == cfg_self_pid)
		return 0;
	for (int i = 0; i < ZS_MAX_FILTER; i++) {
		if (i >= cfg_nexclude)
			break;
		if (cfg_exclude[i] == pid)
			return 0;
	}
	if (!cfg_npids)
		return 1;
	for (int i = 0; i < ZS_MAX_FILTER; i++) {
		if (i >= cfg_npids)
			break;
		if (cfg_pids[i] == pid)
			return 1;
	}
	return 0;
}

static __always_inline int port_allowed(__u16 lport, __u16 rport)
{
	if (!cfg_nports)
		return 1;
	for (int i = 0; i < ZS_MAX_FILTER; i++) {
		if (i >= cfg_nports)
			break;
		if (cfg_ports[i] == lport || cfg_ports[i] == rport)
			return 1;
	}
	return 0;
}

static __always_inline int comm_allowed(const char *comm)
{
	if (!cfg_ncomms)
		return 1;
	for (int i = 0; i < 4; i++) {
		if (i >= cfg_ncomms)
			break;
		int same = 1;
		for (int j = 0; j < ZS_COMM_LEN; j++) {
			if (comm[j] != cfg_comms[i][j]) {
				same = 0;
				break;
			}
			if (!comm[j])
				break;
		}
		if (same)
			return 1;
	}
	return 0;
}

/* Socket field read: tp_btf hands a trusted BTF pointer, read directly (one load);
 * raw_tp and pointers kept in maps need CO-RE probe reads (a helper call each, which
 * cost ~1 µs per captured event in total). `trusted` is a constant after inlining,
 * so only one branch survives in each program. */
#define SK_READ(trusted, sk, field) ((trusted) ? (sk)->field : BPF_CORE_READ(sk, field))

static __always_inline void fill_tuple(struct zs_tuple *t, const struct sock *sk, const int trusted)
{
	__builtin_memset(t, 0, sizeof(*t));
	t->family = SK_READ(trusted, sk, __sk_common.skc_family);
	t->lport = SK_READ(trusted, sk, __sk_common.skc_num);
	t->rport = bpf_ntohs(SK_READ(trusted, sk, __sk_common.skc_dport));
	t->l4 = SK_READ(trusted, sk, sk_protocol);
	if (t->family == AF_INET) {
		__u32 l = SK_READ(trusted, sk, __sk_common.skc_rcv_saddr);
		__u32 r = SK_READ(trusted, sk, __sk_common.skc_daddr);
		t->laddr[10] = 0xff;
		t->laddr[11] = 0xff;
		t->raddr[10] = 0xff;
		t->raddr[11] = 0xff;
		__builtin_memcpy(&t->laddr[12], &l, 4);
		__builtin_memcpy(&t->raddr[12], &r, 4);
	} else {
		/* array fields: BPF_CORE_READ_INTO, direct copies trip clang 14 */
		BPF_CORE_READ_INTO(&t->laddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(&t->raddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	}
}

static __always_inline __u64 new_trace_id(void)
{
	__u32 zero = 0;
	__u64 *c = bpf_map_lookup_elem(&trace_ids, &zero);
	if (!c)
		return 0;
	*c += 1;
	return (*c << 8) | (bpf_get_smp_processor_id() & 0xff);
}

/* This CPU's ring (NULL when user space gave it none). */
static __always_inline void *cpu_ring(void)
{
	__u32 cpu = bpf_get_smp_processor_id();
	return bpf_map_lookup_elem(&rings, &cpu);
}

/* Wake the reader once per cfg_wakeup_bytes written on this CPU; its timer collects the
 * rest. The count lives in a per-CPU slot: asking the ring for its unread bytes
 * (bpf_ringbuf_query) read the consumer position, a line the reader writes from another
 * CPU, and cost ~75 ns per record in bench/syscall here. Forcing a wake-up on every record
 * above a threshold (while the reader is busy) costs an irq_work per event and several µs
 * per syscall. */
static __always_inline __u64 wakeup_flags(__u32 size)
{
	__u32 zero = 0;
	__u64 *written = bpf_map_lookup_elem(&wake_bytes, &zero);
	if (!written)
		return BPF_RB_NO_WAKEUP;
	*written += size;
	if (*written < cfg_wakeup_bytes)
		return BPF_RB_NO_WAKEUP;
	*written = 0;
	return BPF_RB_FORCE_WAKEUP;
}

/* Copies a record (header first) into this CPU's ring; a full or missing ring counts a drop. */
static __always_inline int ring_output(struct zs_header *data, __u32 size)
{
	data->len = 0; /* a copied record is exactly its size */
	void *ring = cpu_ring();
	if (!ring || bpf_ringbuf_output(ring, data, size, wakeup_flags(size))) {
		stat_inc(ZS_ST_DROPS);
		return -1;
	}
	return 0;
}

#endif
