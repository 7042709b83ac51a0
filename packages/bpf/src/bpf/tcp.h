/* TCP state changes, retransmissions and exec events. Included by capture.bpf.c.
 * State/retransmit hooks fire in softirq: the current pid is meaningless there, so
 * everything is keyed by the socket. */

/* the socket's own storage (tp_btf programs): what the data programs read there */
static __always_inline struct zs_sock_state *sock_store_of(const struct sock *sk, const int trusted)
{
	return trusted ? bpf_sk_storage_get(&sock_store, (struct sock *)sk, 0, BPF_SK_STORAGE_GET_F_CREATE) : 0;
}

/* a socket's side, known from the handshake: its state starts over */
static __always_inline void mark_side(struct zs_sock_state *st, __u8 side)
{
	st->side = side;
	st->side_flags = 0;
	st->ctx = 0;
	st->ctx_connect = 0;
}

/* written to both stores: the tp_btf data programs read sock_store, the rest `socks` */
static __always_inline void set_side(const struct sock *sk, __u8 side, const int trusted)
{
	__u64 skp = (__u64)sk;
	struct zs_sock_state *own = sock_store_of(sk, trusted);
	if (own)
		mark_side(own, side);
	struct zs_sock_state *st = bpf_map_lookup_elem(&socks, &skp);
	if (st) {
		mark_side(st, side);
		return;
	}
	struct zs_sock_state fresh = {.side = side};
	bpf_map_update_elem(&socks, &skp, &fresh, BPF_ANY);
}

static __always_inline void mark_connect(struct zs_sock_state *st, __u64 trace_id)
{
	st->ctx = trace_id;
	st->ctx_connect = 1;
}

/* connect() runs in the caller's context: the socket's first message belongs to it
 * (assign_trace_id in capture.bpf.c) */
static __always_inline void take_connect_ctx(const struct sock *sk, const int trusted)
{
	__u64 skp = (__u64)sk;
	struct zs_thread_state *ts = bpf_task_storage_get(&threads, bpf_get_current_task_btf(), 0, 0);
	if (!ts || !ts->trace_id)
		return;
	struct zs_sock_state *own = sock_store_of(sk, trusted);
	if (own)
		mark_connect(own, ts->trace_id);
	struct zs_sock_state *st = bpf_map_lookup_elem(&socks, &skp);
	if (st)
		mark_connect(st, ts->trace_id);
}

static __always_inline struct zs_tcp_event *tcp_event(const struct sock *sk, __u8 kind)
{
	__u32 zero = 0;
	struct zs_tcp_event *e = bpf_map_lookup_elem(&tcp_scratch, &zero);
	if (!e)
		return 0;
	e->h.ts_ns = bpf_ktime_get_ns();
	e->h.kind = kind;
	e->sock_id = (__u64)sk;
	fill_tuple(&e->t, sk, 0);
	e->pid = 0;
	e->fd = -1;
	e->seq = 0;
	e->side = 0;
	__builtin_memset(e->comm, 0, sizeof(e->comm));
	return e;
}

static __always_inline void tcp_output(struct zs_tcp_event *e)
{
	if (!ring_output(&e->h, sizeof(*e)))
		stat_inc(ZS_ST_TCP_EVENTS);
}

static __always_inline int handle_state(const struct sock *sk, int oldstate, int newstate, const int trusted)
{
	if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	__u64 skp = (__u64)sk;
	__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	__u16 rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	__u8 kind = ZS_EV_TCP_STATE;
	if (newstate == TCP_LISTEN) {
		__u8 one = 1;
		bpf_map_update_elem(&listen_ports, &lport, &one, BPF_ANY);
	} else if (oldstate == TCP_LISTEN && newstate == TCP_CLOSE) {
		bpf_map_delete_elem(&listen_ports, &lport);
	} else if (oldstate == TCP_CLOSE && newstate == TCP_SYN_SENT) {
		set_side(sk, ZS_SIDE_CLIENT, trusted);
		kind = ZS_EV_CONNECT; /* runs inside connect(): process context */
		take_connect_ctx(sk, trusted);
	} else if (oldstate == TCP_SYN_RECV && newstate == TCP_ESTABLISHED) {
		set_side(sk, ZS_SIDE_SERVER, trusted);
	}
	if (!port_allowed(lport, rport) || newstate == TCP_LISTEN || oldstate == TCP_LISTEN)
		goto out;
	struct zs_tcp_event *e = tcp_event(sk, kind);
	if (!e)
		goto out;
	e->oldstate = oldstate;
	e->newstate = newstate;
	struct zs_sock_state *st = bpf_map_lookup_elem(&socks, &skp);
	e->side = st ? st->side : 0;
	if (kind == ZS_EV_CONNECT) {
		__u64 pid_tgid = bpf_get_current_pid_tgid();
		if (!pid_allowed(pid_tgid >> 32))
			goto out;
		struct task_struct *task = bpf_get_current_task_btf();
		struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
		e->pid = pid_tgid >> 32;
		e->fd = regs->orig_ax == NR_connect ? (__s32)regs->di : -1;
		bpf_get_current_comm(e->comm, sizeof(e->comm));
	}
	tcp_output(e);
out:
	if (newstate == TCP_CLOSE)
		bpf_map_delete_elem(&socks, &skp);
	return 0;
}

static __always_inline int handle_retransmit(const struct sock *sk, const struct sk_buff *skb)
{
	__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	__u16 rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (!port_allowed(lport, rport))
		return 0;
	struct zs_tcp_event *e = tcp_event(sk, ZS_EV_TCP_RETRANS);
	if (!e)
		return 0;
	__u8 state = BPF_CORE_READ(sk, __sk_common.skc_state);
	e->oldstate = state;
	e->newstate = state;
	/* TCP_SKB_CB(skb)->seq is the first field of skb->cb */
	bpf_probe_read_kernel(&e->seq, sizeof(e->seq), (void *)skb + bpf_core_field_offset(struct sk_buff, cb));
	struct zs_sock_state *st = bpf_map_lookup_elem(&socks, &e->sock_id);
	e->side = st ? st->side : 0;
	tcp_output(e);
	return 0;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(state_btf, const struct sock *sk, int oldstate, int newstate)
{
	return handle_state(sk, oldstate, newstate, 1);
}

SEC("raw_tp/inet_sock_set_state")
int BPF_PROG(state_raw, const struct sock *sk, int oldstate, int newstate)
{
	return handle_state(sk, oldstate, newstate, 0);
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(retrans_btf, const struct sock *sk, const struct sk_buff *skb)
{
	return handle_retransmit(sk, skb);
}

SEC("raw_tp/tcp_retransmit_skb")
int BPF_PROG(retrans_raw, const struct sock *sk, const struct sk_buff *skb)
{
	return handle_retransmit(sk, skb);
}

static __always_inline int handle_exec(struct task_struct *p)
{
	__u32 zero = 0;
	struct zs_exec_event *e = bpf_map_lookup_elem(&exec_scratch, &zero);
	if (!e)
		return 0;
	e->h.ts_ns = bpf_ktime_get_ns();
	e->h.kind = ZS_EV_EXEC;
	e->pid = BPF_CORE_READ(p, tgid);
	e->ppid = BPF_CORE_READ(p, real_parent, tgid);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	ring_output(&e->h, sizeof(*e));
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec_btf, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return handle_exec(p);
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(exec_raw, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return handle_exec(p);
}
