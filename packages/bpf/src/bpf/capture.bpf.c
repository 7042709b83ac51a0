// SPDX-License-Identifier: GPL-2.0
/* Socket data capture: every send/recv on an inet socket, read at the socket layer
 * (sock_send_length / sock_recv_length fire in process context inside the syscall with
 * the struct sock), with the syscall's own arguments taken from the task's saved user
 * registers. No sys_enter/sys_exit hooks: other syscalls pay nothing. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "capture.h"
#include "infer.h"
#include "regs.h"
#include "dring.h"

char LICENSE[] SEC("license") = "GPL";

#define MMSGHDR_SIZE 64
#define ZS_EOF_CTX_NS 5000000ULL /* one event-loop iteration, generously */ /* struct mmsghdr: user_msghdr (56) + msg_len + padding */

static __always_inline struct zs_thread_state *thread_state_of(struct task_struct *task)
{
	return bpf_task_storage_get(&threads, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
}

static __always_inline struct zs_thread_state *thread_state(void)
{
	return thread_state_of(bpf_get_current_task_btf());
}

static __always_inline void guess_side(struct zs_sock_state *s, __u16 lport, __u16 rport)
{
	if (bpf_map_lookup_elem(&listen_ports, &lport)) {
		s->side = ZS_SIDE_SERVER;
		s->side_flags = ZS_SIDE_FROM_LISTEN;
		return;
	}
	if (bpf_map_lookup_elem(&listen_ports, &rport)) {
		s->side = ZS_SIDE_CLIENT;
		s->side_flags = ZS_SIDE_FROM_LISTEN | ZS_SIDE_GUESSED;
		return;
	}
	int leph = lport >= 32768, reph = rport >= 32768;
	if (leph != reph)
		s->side = leph ? ZS_SIDE_CLIENT : ZS_SIDE_SERVER;
	else
		s->side = lport < rport ? ZS_SIDE_SERVER : ZS_SIDE_CLIENT;
	s->side_flags = ZS_SIDE_GUESSED;
}

/* Sockets seen midway (opened before we attached) get their side from the tables. */
static __always_inline struct zs_sock_state *sock_state(__u64 skp, __u16 lport, __u16 rport)
{
	struct zs_sock_state *st = bpf_map_lookup_elem(&socks, &skp);
	if (st && st->side)
		return st;
	if (st) {
		guess_side(st, lport, rport);
		return st;
	}
	struct zs_sock_state fresh = {};
	guess_side(&fresh, lport, rport);
	bpf_map_update_elem(&socks, &skp, &fresh, BPF_NOEXIST);
	return bpf_map_lookup_elem(&socks, &skp);
}

/* The data programs' socket state: on the socket for tp_btf (sock_store), else `socks`.
 * A TLS socket whose plaintext the uprobes deliver is marked in `socks` by ssl_enter
 * (uprobes can't reach socket storage): copied over the first time it is seen. */
static __always_inline struct zs_sock_state *data_sock_state(struct sock *sk, __u16 lport, __u16 rport,
							     const int trusted)
{
	if (!trusted)
		return sock_state((__u64)sk, lport, rport);
	struct zs_sock_state *st = bpf_sk_storage_get(&sock_store, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (!st)
		return 0;
	if (!st->side)
		guess_side(st, lport, rport);
	if (st->proto == ZS_P_TLS && !st->tls_plain && cfg_tls) {
		__u64 skp = (__u64)sk;
		struct zs_sock_state *m = bpf_map_lookup_elem(&socks, &skp);
		if (m && m->tls_plain)
			st->tls_plain = 1;
	}
	return st;
}

/* iovec elements read with one probe read (the rest one at a time): a response is
 * mostly headers and a body */
#define ZS_IOV_BATCH 4

static __always_inline __u32 copy_iov(__u8 *dst, const struct iovec *iov, __u64 cnt, __u32 want)
{
	struct iovec first[ZS_IOV_BATCH];
	__u32 size = (cnt < ZS_IOV_BATCH ? (__u32)cnt : ZS_IOV_BATCH) * sizeof(struct iovec);
	barrier_var(size); /* clang 14: keep the checked value for the size argument */
	if (size > sizeof(first) || bpf_probe_read_user(first, size, iov))
		return 0;
	__u32 off = 0;
	for (int i = 0; i < ZS_MAX_IOV; i++) {
		if (i >= cnt || off >= want)
			break;
		struct iovec v;
		if (i < ZS_IOV_BATCH)
			v = first[i];
		else if (bpf_probe_read_user(&v, sizeof(v), &iov[i]))
			break;
		__u32 n = want - off;
		if (v.iov_len < n)
			n = v.iov_len;
		if (off >= ZS_MAX_PAYLOAD)
			break;
		if (n > ZS_MAX_PAYLOAD)
			n = ZS_MAX_PAYLOAD;
		/* verifier: without the barriers clang 14 re-reads the unclamped values and
		 * the bounds of dst + off + n are lost */
		barrier_var(off);
		barrier_var(n);
		bpf_probe_read_user(dst + off, n, v.iov_base);
		off += n;
	}
	return off;
}

/* TCP sequence number of the first byte this syscall moved */
static __always_inline __u32 tcp_seq_of(struct sock *sk, __u32 ret, __u8 dir, const int trusted)
{
	__u32 end, shut, nxt;
	if (trusted) {
		/* a TCP stream socket in sendmsg/recvmsg is a full tcp_sock (a raw socket of
		 * protocol TCP is not): a cast after that check, not the checking helper
		 * (bpf_skc_to_tcp_sock), whose call and return cost ~20 ns here */
		if (sk->sk_type != SOCK_STREAM)
			return 0;
		struct tcp_sock *tp = bpf_rdonly_cast(sk, bpf_core_type_id_kernel(struct tcp_sock));
		end = dir == ZS_EGRESS ? tp->write_seq : tp->copied_seq;
		shut = sk->sk_shutdown;
		nxt = tp->rcv_nxt;
	} else {
		struct tcp_sock *tp = (struct tcp_sock *)sk;
		end = dir == ZS_EGRESS ? BPF_CORE_READ(tp, write_seq) : BPF_CORE_READ(tp, copied_seq);
		shut = BPF_CORE_READ(sk, sk_shutdown);
		nxt = BPF_CORE_READ(tp, rcv_nxt);
	}
	/* a FIN consumed by this read advanced copied_seq by one more: it is consumed iff
	 * the peer shut down and nothing is left unread */
	if (dir == ZS_INGRESS && (shut & RCV_SHUTDOWN) && end == nxt)
		end -= 1;
	return end - ret; /* the socket's sequence already moved past these bytes */
}

/* The syscall trace id names the read whose callback a message was written in (PRODUCT.md
 * §2.6): every read of socket data starts a new id on its thread and every write carries
 * the thread's current id (a message read in several reads has the id of its last one,
 * which the agent's parsers report, as that read runs the callback). Thread-per-request servers then give a request and all
 * the calls made for it ids that chain (a call is written after the request's or the
 * previous call's read, the response after the last call's read); event-loop servers
 * (Node) interleave requests on one thread, but a write still follows, on that thread,
 * the read that triggered its callback, so the chain holds per callback (trace assembly,
 * apps/api/src/tracing/link-process.ts, weighs these links). One exception is patched
 * here: an event loop writes the first message of a fresh connection from the
 * connect-completion callback, long after the read that asked for it, so a socket
 * connected by a thread keeps that thread's id for its first message (issue 8). */
static __always_inline __u64 next_trace_id(struct zs_thread_state *ts, struct zs_sock_state *st, __u8 dir)
{
	if (dir == ZS_INGRESS)
		ts->trace_id = new_trace_id();
	else if (st && st->ctx_connect && st->ctx)
		ts->trace_id = st->ctx;
	if (st)
		st->ctx_connect = 0;
	ts->last_dir = dir;
	return ts->trace_id;
}

static __always_inline void assign_trace_id(struct zs_thread_state *ts, struct zs_sock_state *st, __u8 dir,
					    struct zs_data_event *e)
{
	e->trace_id = next_trace_id(ts, st, dir);
}

static __always_inline void emit_data(struct zs_data_buf *b, __u32 off)
{
	if (off > ZS_MAX_PAYLOAD)
		off = ZS_MAX_PAYLOAD;
	barrier_var(off); /* clang 14: keep the clamped value for the size argument */
	b->ev.payload_len = off;
	/* delivered events are counted by the reader; only losses are counted here */
	ring_output(&b->ev.h, sizeof(struct zs_data_event) + off);
}

/* What a data record says besides its payload, gathered before the record exists. */
struct zs_data_meta {
	__u64 skp;
	__u64 pid_tgid;
	__u64 trace_id;
	__s32 fd;
	__u32 ret;
	__u32 cap_seq;
	__u16 nr;
	__u8 dir;
	__u8 proto;
	__u8 side;
	__u8 side_flags;
	__u8 l4;
};

static __always_inline void fill_data(struct zs_data_event *e, struct sock *sk, struct task_struct *task,
				      const struct zs_data_meta *m, const int trusted)
{
	e->h.ts_ns = bpf_ktime_get_ns();
	e->h.kind = ZS_EV_DATA;
	e->sock_id = m->skp;
	fill_tuple(&e->t, sk, trusted);
	e->pid = m->pid_tgid >> 32;
	e->tid = (__u32)m->pid_tgid;
	e->fd = m->fd;
	e->total_len = m->ret;
	e->syscall = m->nr;
	e->direction = m->dir;
	e->side = m->side;
	e->side_flags = m->side_flags;
	e->proto = m->proto;
	e->tcp_seq = m->l4 == IPPROTO_TCP ? tcp_seq_of(sk, m->ret, m->dir, trusted) : 0;
	e->cap_seq = m->cap_seq;
	e->trace_id = m->trace_id;
	/* two direct loads from the trusted task: bpf_get_current_comm cost ~100 ns here */
	if (trusted)
		__builtin_memcpy(e->comm, task->comm, sizeof(e->comm));
	else
		bpf_get_current_comm(e->comm, sizeof(e->comm));
}

/* One contiguous buffer: build the record in place in the ring (no scratch copy). The
 * record has a fixed size (`room` payload bytes, a constant for the verifier); the
 * reader takes payload_len, not the record length. */
static __always_inline void emit_direct(struct sock *sk, struct task_struct *task, const struct zs_data_meta *m,
					const __u8 *buf, __u32 want, const __u32 room, const int trusted)
{
	void *ring = cpu_ring();
	struct zs_data_event *e = ring ? bpf_ringbuf_reserve(ring, sizeof(struct zs_data_event) + room, 0) : 0;
	if (!e) {
		stat_inc(ZS_ST_DROPS);
		return;
	}
	fill_data(e, sk, task, m, trusted);
	if (want > room)
		want = room;
	barrier_var(want); /* clang 14: keep the clamped value for the size argument */
	bpf_probe_read_user(e->payload, want, buf);
	e->payload_len = want;
	e->h.len = sizeof(struct zs_data_event) + want;
	bpf_ringbuf_submit(e, wakeup_flags(sizeof(struct zs_data_event) + want));
}

/* One contiguous buffer straight into this CPU's data ring (dring.h). */
static __always_inline void emit_dring(struct sock *sk, struct task_struct *task, const struct zs_data_meta *m,
				       const __u8 *buf, __u32 want, const int trusted)
{
	struct zs_dring_pos p;
	if (want > cfg_payload_size)
		want = cfg_payload_size; /* the room past the ring's end */
	barrier_var(want); /* clang 14: keep the clamped value for the size argument */
	struct zs_data_event *e = dring_take(&p, sizeof(struct zs_data_event) + want);
	if (!e)
		return;
	fill_data(e, sk, task, m, trusted);
	bpf_probe_read_user(e->payload, want, buf);
	e->payload_len = want;
	e->h.len = sizeof(struct zs_data_event) + want;
	dring_publish(&p, sizeof(struct zs_data_event) + want);
}

/* A record gathered in the per-CPU scratch (iovecs) copied into this CPU's data ring. */
static __always_inline void emit_scratch_dring(struct zs_data_buf *b, __u32 off)
{
	struct zs_dring_pos p;
	if (off > cfg_payload_size)
		off = cfg_payload_size;
	if (off > ZS_MAX_PAYLOAD)
		off = ZS_MAX_PAYLOAD;
	barrier_var(off); /* clang 14: keep the clamped value for the size argument */
	struct zs_data_event *e = dring_take(&p, sizeof(struct zs_data_event) + off);
	if (!e)
		return;
	b->ev.payload_len = off;
	b->ev.h.len = sizeof(struct zs_data_event) + off;
	bpf_probe_read_kernel(e, sizeof(struct zs_data_event) + off, &b->ev);
	dring_publish(&p, sizeof(struct zs_data_event) + off);
}

static __always_inline int handle_data(struct sock *sk, int ret, int flags, __u8 dir, const int trusted)
{
	if (ret <= 0 || (dir == ZS_INGRESS && (flags & MSG_PEEK)))
		return 0;
	/* ids from the task itself: one helper call fewer than bpf_get_current_pid_tgid */
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 pid = task->tgid;
	__u64 pid_tgid = (__u64)pid << 32 | (__u32)task->pid;
	if (!pid_allowed(pid))
		return 0;
	__u16 family = SK_READ(trusted, sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return 0;
	__u16 lport = SK_READ(trusted, sk, __sk_common.skc_num);
	__u16 rport = bpf_ntohs(SK_READ(trusted, sk, __sk_common.skc_dport));
	if (!port_allowed(lport, rport)) {
		stat_inc(ZS_ST_FILTERED);
		return 0;
	}
	__u8 l4 = SK_READ(trusted, sk, sk_protocol);
	if (l4 != IPPROTO_TCP && l4 != IPPROTO_UDP)
		return 0;
	if (cfg_ncomms) {
		char comm[ZS_COMM_LEN];
		bpf_get_current_comm(comm, sizeof(comm));
		if (!comm_allowed(comm)) {
			stat_inc(ZS_ST_FILTERED);
			return 0;
		}
	}
	if (task->flags & (PF_KTHREAD | PF_IO_WORKER))
		return 0;
	struct pt_regs *regs = user_regs(task, trusted);
	long nr = regs->orig_ax;
	__u64 a0 = regs->di, a1 = regs->si, a2 = regs->dx;

	struct zs_thread_state *ts = thread_state_of(task);
	if (!ts)
		return 0;
	const __u8 *buf = 0;
	const struct iovec *iov = 0;
	__u64 iovcnt = 0;
	switch (nr) {
	case NR_read:
	case NR_write:
	case NR_sendto:
	case NR_recvfrom:
		buf = (const __u8 *)a1;
		break;
	case NR_readv:
	case NR_writev:
		iov = (const struct iovec *)a1;
		iovcnt = a2;
		break;
	case NR_sendmsg:
	case NR_recvmsg: {
		struct user_msghdr m;
		if (bpf_probe_read_user(&m, sizeof(m), (void *)a1))
			return 0;
		iov = m.msg_iov;
		iovcnt = m.msg_iovlen;
		break;
	}
	case NR_sendmmsg:
	case NR_recvmmsg: {
		/* the tracepoint fires once per message: count messages per thread; a new
		 * vector pointer or a full vector starts over at 0 */
		__u32 idx = ts->mmsg_vec == a1 ? ts->mmsg_idx : 0;
		ts->mmsg_vec = a1;
		ts->mmsg_idx = idx + 1;
		if (idx + 1 >= a2)
			ts->mmsg_vec = 0;
		struct user_msghdr m;
		if (idx >= 1024 || bpf_probe_read_user(&m, sizeof(m), (void *)(a1 + (__u64)idx * MMSGHDR_SIZE)))
			return 0;
		iov = m.msg_iov;
		iovcnt = m.msg_iovlen;
		break;
	}
	default:
		stat_inc(ZS_ST_UNSUPPORTED_SYSCALL);
		return 0;
	}

	__u64 skp = (__u64)sk;
	struct zs_sock_state *st = data_sock_state(sk, lport, rport, trusted);
	if (!st || st->tls_plain)
		return 0; /* ciphertext of a connection whose plaintext the uprobes deliver */
	if (cfg_tls && ts->in_ssl) {
		{
			/* inside SSL_read/SSL_write (socket BIO): learn SSL* -> socket, drop ciphertext */
			struct zs_ssl_key k = {.pid = pid, .ssl = ts->ssl};
			struct zs_ssl_sock v = {.sk = skp, .fd = (__s32)a0};
			bpf_map_update_elem(&ssl_socks, &k, &v, BPF_ANY);
			st->tls_plain = 1;
			return 0;
		}
	}

	__u8 proto = st->proto;
	if (!proto && cfg_infer) {
		/* only a socket's first messages are looked at: the first vector element then */
		const __u8 *first = buf;
		__u64 first_len = ret;
		if (iov) {
			struct iovec v0;
			if (bpf_probe_read_user(&v0, sizeof(v0), iov))
				return 0;
			first = v0.iov_base;
			first_len = v0.iov_len;
		}
		__u8 peek[ZS_PEEK] = {};
		__u32 n = first_len < ZS_PEEK ? first_len : ZS_PEEK;
		if (n > (__u32)ret)
			n = ret;
		barrier_var(n); /* clang 14: size must be the clamped value */
		bpf_probe_read_user(peek, n & (ZS_PEEK * 2 - 1), first);
		proto = infer_proto(peek, ret, lport, rport, l4);
		if (!proto && cfg_nports)
			proto = ZS_P_PORT_MATCH;
		if (!proto) {
			stat_inc(ZS_ST_NOT_L7);
			return 0;
		}
		st->proto = proto;
	}
	if (proto == ZS_P_TLS && cfg_tls) {
		ts->last_tls_sk = skp;
		ts->last_tls_fd = (__s32)a0;
	}

	__u32 want = (__u32)ret < cfg_payload_size ? (__u32)ret : cfg_payload_size;
	if (want > ZS_MAX_PAYLOAD)
		want = ZS_MAX_PAYLOAD;
	/* per-socket and per-thread state move first, so a dropped record still leaves its
	 * hole in cap_seq and its trace id on the thread */
	struct zs_data_meta m = {
		.skp = skp,
		.pid_tgid = pid_tgid,
		.fd = (__s32)a0,
		.ret = (__u32)ret,
		.nr = (__u16)nr,
		.dir = dir,
		.proto = proto,
		.side = st->side,
		.side_flags = st->side_flags,
		.l4 = l4,
		.cap_seq = __sync_fetch_and_add(&st->cap_seq, 1),
		.trace_id = next_trace_id(ts, st, dir),
	};
	if (iov) {
		/* vectors: gather into the per-CPU scratch first (the iovec walk needs the
		 * doubled buffer for its bounds), then one copy into the ring */
		__u32 zero = 0;
		struct zs_data_buf *b = bpf_map_lookup_elem(&data_scratch, &zero);
		if (!b)
			return 0;
		fill_data(&b->ev, sk, task, &m, trusted);
		__u32 off = copy_iov(b->payload, iov, iovcnt, want);
		if (cfg_dring_bytes)
			emit_scratch_dring(b, off);
		else
			emit_data(b, off);
	} else if (cfg_dring_bytes) {
		emit_dring(sk, task, &m, buf, want, trusted);
	} else if (want <= ZS_SMALL_PAYLOAD) {
		emit_direct(sk, task, &m, buf, want, ZS_SMALL_PAYLOAD, trusted);
	} else if (want <= 2 * ZS_SMALL_PAYLOAD && cfg_payload_size > 2 * ZS_SMALL_PAYLOAD) {
		emit_direct(sk, task, &m, buf, want, 2 * ZS_SMALL_PAYLOAD, trusted);
	} else {
		__u32 room = cfg_payload_size < ZS_MAX_PAYLOAD ? cfg_payload_size : ZS_MAX_PAYLOAD;
		emit_direct(sk, task, &m, buf, want, room, trusted);
	}
	return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(send_btf, struct sock *sk, int ret, int flags)
{
	return handle_data(sk, ret, flags, ZS_EGRESS, 1);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(recv_btf, struct sock *sk, int ret, int flags)
{
	return handle_data(sk, ret, flags, ZS_INGRESS, 1);
}

/* raw_tp twins for kernels where tp_btf does not load; all reads go through CO-RE */
SEC("raw_tp/sock_send_length")
int BPF_PROG(send_raw, struct sock *sk, int ret, int flags)
{
	return handle_data(sk, ret, flags, ZS_EGRESS, 0);
}

SEC("raw_tp/sock_recv_length")
int BPF_PROG(recv_raw, struct sock *sk, int ret, int flags)
{
	return handle_data(sk, ret, flags, ZS_INGRESS, 0);
}

#include "tls.h"
#include "tcp.h"
