/* TLS plaintext: uprobes on SSL_read/SSL_write (libssl.so.3 and binaries that export
 * them, such as node). Included by capture.bpf.c: shares its maps and helpers.
 * The socket comes from the syscall made inside the SSL call (socket BIO), or, for
 * memory BIOs (Node), from the last socket on this thread that carried TLS. */

static __always_inline int ssl_enter(void *ssl, void *buf, __u8 is_read)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 pid = pid_tgid >> 32;
	if (!pid_allowed(pid))
		return 0;
	struct zs_thread_state *ts = thread_state();
	if (!ts)
		return 0;
	ts->ssl = (__u64)ssl;
	ts->ssl_buf = (__u64)buf;
	ts->ssl_is_read = is_read;
	ts->in_ssl = 1;
	struct zs_ssl_key k = {.pid = pid, .ssl = (__u64)ssl};
	if (bpf_map_lookup_elem(&ssl_socks, &k) || !ts->last_tls_sk)
		return 0;
	struct zs_ssl_sock v = {.sk = ts->last_tls_sk, .fd = ts->last_tls_fd};
	bpf_map_update_elem(&ssl_socks, &k, &v, BPF_NOEXIST);
	/* tell the data programs to drop this socket's ciphertext (socket storage reads the
	 * mark from here: data_sock_state) */
	struct zs_sock_state mark = {.tls_plain = 1};
	bpf_map_update_elem(&socks, &v.sk, &mark, BPF_NOEXIST);
	struct zs_sock_state *st = bpf_map_lookup_elem(&socks, &v.sk);
	if (st)
		st->tls_plain = 1;
	return 0;
}

static __always_inline int ssl_exit(int ret, __u8 dir)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 pid = pid_tgid >> 32, tid = (__u32)pid_tgid;
	struct zs_thread_state *ts = thread_state();
	if (!ts || !ts->in_ssl)
		return 0;
	ts->in_ssl = 0;
	if (ret <= 0)
		return 0;
	struct zs_ssl_key k = {.pid = pid, .ssl = ts->ssl};
	struct zs_ssl_sock *s = bpf_map_lookup_elem(&ssl_socks, &k);
	if (cfg_nports) {
		/* the port filter applies to plaintext as well: unknown socket, unknown ports */
		if (!s)
			return 0;
		struct sock *sk = (struct sock *)s->sk;
		__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		__u16 rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
		if (!port_allowed(lport, rport))
			return 0;
	}
	if (cfg_ncomms) {
		char comm[ZS_COMM_LEN];
		bpf_get_current_comm(comm, sizeof(comm));
		if (!comm_allowed(comm))
			return 0;
	}
	__u32 zero = 0;
	struct zs_data_buf *b = bpf_map_lookup_elem(&data_scratch, &zero);
	if (!b)
		return 0;
	struct zs_data_event *e = &b->ev;
	struct zs_sock_state *st = 0;
	e->h.ts_ns = bpf_ktime_get_ns();
	e->h.kind = ZS_EV_TLS_DATA;
	e->pid = pid;
	e->tid = tid;
	e->total_len = ret;
	e->syscall = 0;
	e->direction = dir;
	e->proto = ZS_P_UNKNOWN;
	e->tcp_seq = 0; /* plaintext has no TCP sequence of its own */
	e->side = ZS_SIDE_UNKNOWN;
	e->side_flags = 0;
	e->cap_seq = 0;
	if (s) {
		__u64 skp = s->sk;
		e->sock_id = skp;
		e->fd = s->fd;
		fill_tuple(&e->t, (struct sock *)skp, 0);
		st = sock_state(skp, e->t.lport, e->t.rport);
		if (st) {
			e->side = st->side;
			e->side_flags = st->side_flags;
			e->cap_seq = __sync_fetch_and_add(&st->cap_seq, 1);
		}
	} else {
		e->sock_id = 0;
		e->fd = -1;
		__builtin_memset(&e->t, 0, sizeof(e->t));
	}
	assign_trace_id(ts, st, dir, e);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	__u32 want = (__u32)ret < cfg_payload_size ? (__u32)ret : cfg_payload_size;
	if (want > ZS_MAX_PAYLOAD)
		want = ZS_MAX_PAYLOAD;
	barrier_var(want); /* clang 14: size must be the clamped value */
	bpf_probe_read_user(b->payload, want, (void *)ts->ssl_buf);
	stat_inc(ZS_ST_TLS_EVENTS);
	emit_data(b, want);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(ssl_write_enter, void *ssl, void *buf, int num)
{
	return ssl_enter(ssl, buf, 0);
}

SEC("uprobe")
int BPF_KPROBE(ssl_read_enter, void *ssl, void *buf, int num)
{
	return ssl_enter(ssl, buf, 1);
}

SEC("uretprobe")
int BPF_KRETPROBE(ssl_write_exit, int ret)
{
	return ssl_exit(ret, ZS_EGRESS);
}

SEC("uretprobe")
int BPF_KRETPROBE(ssl_read_exit, int ret)
{
	return ssl_exit(ret, ZS_INGRESS);
}
