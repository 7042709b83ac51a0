// SPDX-License-Identifier: GPL-2.0
/* Reference programs for bench/syscall: the least any program on the capture's hooks
 * costs on this kernel, so the bench can tell the hook's own price from ours.
 *  - floor_hook: does nothing (the tracepoint dispatch alone);
 *  - floor_copy: what every capture must do at the least: reserve a record in this CPU's
 *    ring, stamp it, copy up to cfg_payload bytes from the syscall's buffer, submit
 *    without waking the reader (a timer drains it, as the capture's reader does).
 *  - floor_copy_plain: the same into one plain ring shared by all CPUs (the binding's
 *    other ring mode, for its test).
 *  - floor_read: only the copy of the payload out of the writer's memory, into a per-CPU
 *    buffer that nobody reads (no ring): what moving the bytes alone costs here.
 * Every process but cfg_self_pid (the reader) is copied, or only cfg_pid when set. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "regs.h"

char LICENSE[] SEC("license") = "GPL";

#define FLOOR_MAX 4096

const volatile __u32 cfg_self_pid = 0;
const volatile __u32 cfg_pid = 0; /* set: only this process is copied (a test's writer) */
const volatile __u32 cfg_payload = 1024;

struct floor_ring {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024); /* the template only: user space sizes the rings */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 256);
	__type(key, __u32);
	__array(values, struct floor_ring);
} floor_rings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} floor_plain SEC(".maps");

/* laid out as the capture's zs_header: the reader merges by ts and reads len */
struct floor_record {
	__u64 ts_ns;
	__u32 kind;
	__u32 len;
	__u8 payload[FLOOR_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct floor_record);
} floor_scratch SEC(".maps");

SEC("tp_btf/sock_send_length")
int BPF_PROG(floor_hook, struct sock *sk, int ret, int flags)
{
	return 0;
}

/* the writer's task, or NULL for the reader and for empty calls (the capture's own way
 * to the ids and registers: the task's fields and regs.h, fewest helper calls) */
static __always_inline struct task_struct *copied(int ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 pid = task->tgid;
	return ret > 0 && pid != cfg_self_pid && (!cfg_pid || pid == cfg_pid) ? task : 0;
}

/* stamps r and copies up to `room` of the syscall's `ret` bytes into it */
static __always_inline void fill(struct floor_record *r, struct task_struct *task, int ret, const __u32 room)
{
	struct pt_regs *regs = user_regs(task, 1);
	__u32 want = (__u32)ret < room ? (__u32)ret : room;
	barrier_var(want); /* clang 14: keep the clamped value for the size argument */
	r->ts_ns = bpf_ktime_get_ns();
	r->kind = 0;
	r->len = 16 + want;
	bpf_probe_read_user(r->payload, want, (void *)regs->si);
}

static __always_inline int copy(int ret, void *ring)
{
	struct task_struct *task = copied(ret);
	if (!task || !ring)
		return 0;
	const __u32 room = cfg_payload < FLOOR_MAX ? cfg_payload : FLOOR_MAX;
	struct floor_record *r = bpf_ringbuf_reserve(ring, 16 + (__u64)room, 0);
	if (!r)
		return 0;
	fill(r, task, ret, room);
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
	return 0;
}

static __always_inline int read_only(int ret)
{
	__u32 zero = 0;
	struct floor_record *r = bpf_map_lookup_elem(&floor_scratch, &zero);
	struct task_struct *task = copied(ret);
	if (task && r)
		fill(r, task, ret, cfg_payload < FLOOR_MAX ? cfg_payload : FLOOR_MAX);
	return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(floor_copy_send, struct sock *sk, int ret, int flags)
{
	__u32 cpu = bpf_get_smp_processor_id();
	return copy(ret, bpf_map_lookup_elem(&floor_rings, &cpu));
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(floor_copy_recv, struct sock *sk, int ret, int flags)
{
	__u32 cpu = bpf_get_smp_processor_id();
	return copy(ret, bpf_map_lookup_elem(&floor_rings, &cpu));
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(floor_copy_plain, struct sock *sk, int ret, int flags)
{
	return copy(ret, &floor_plain);
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(floor_read_send, struct sock *sk, int ret, int flags)
{
	return read_only(ret);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(floor_read_recv, struct sock *sk, int ret, int flags)
{
	return read_only(ret);
}
