// SPDX-License-Identifier: GPL-2.0
/* Continuous profiling. On-CPU: a perf_event program on a software cpu-clock event per
 * CPU (99 Hz) counts samples per (thread, user stack, kernel stack). Off-CPU: sched_switch
 * remembers when and where a thread blocked and, when it runs again, adds the time it was
 * away to the same kind of key. Both maps are bounded hash maps that user space drains by
 * generation every interval (src/profile/). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "profile.h"

char LICENSE[] SEC("license") = "GPL";

#define PF_KTHREAD 0x00200000
#define TASK_RUNNING 0

const volatile __u32 cfg_self_pid = 0;
/* off-CPU intervals shorter than this are not counted (most are scheduler noise) */
const volatile __u64 cfg_offcpu_min_ns = 1000000;
/* 0: count kernel threads too (on-CPU only; they never count off-CPU) */
const volatile __u8 cfg_skip_kthreads = 0;
/* off-CPU stack walks per second per CPU; past it the time still counts, without a stack.
 * Walking two stacks at every blocking switch is the profiler's largest kernel cost on a
 * busy host (tens of thousands of switches a second); 0: no limit */
const volatile __u32 cfg_offcpu_stack_budget = 2000;

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 8192);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, ZS_PROF_STACK_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct zs_prof_key);
	__type(value, __u64);
} oncpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct zs_prof_key);
	__type(value, __u64);
} offcpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct zs_prof_sleep);
} sleeping SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct zs_prof_budget);
} budget SEC(".maps");

/* [0]: the generation new counts go to; flipped by user space */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} generation SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ZS_PS_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline void stat_inc(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &which);
	if (v)
		*v += 1;
}

static __always_inline __u32 current_gen(void)
{
	__u32 zero = 0;
	__u32 *g = bpf_map_lookup_elem(&generation, &zero);
	return g ? *g : 0;
}

static __always_inline void add(void *map, struct zs_prof_key *key, __u64 value)
{
	__u64 *v = bpf_map_lookup_elem(map, key);
	if (v) {
		__sync_fetch_and_add(v, value);
		return;
	}
	/* BPF_NOEXIST: another CPU may have inserted the key since the lookup */
	if (bpf_map_update_elem(map, key, &value, BPF_NOEXIST)) {
		v = bpf_map_lookup_elem(map, key);
		if (v)
			__sync_fetch_and_add(v, value);
		else
			stat_inc(ZS_PS_COUNT_FULL);
	}
}

/* Takes one off-CPU stack walk from this CPU's budget for the current second. */
static __always_inline bool take_budget(__u64 now)
{
	if (!cfg_offcpu_stack_budget)
		return true;
	__u32 zero = 0;
	struct zs_prof_budget *b = bpf_map_lookup_elem(&budget, &zero);
	if (!b)
		return true;
	__u64 window = now / 1000000000ULL;
	if (b->window != window) {
		b->last_seen = b->window + 1 == window ? b->seen : 0;
		b->window = window;
		b->used = 0;
		b->seen = 0;
	}
	b->seen++;
	if (b->used >= cfg_offcpu_stack_budget)
		return false;
	/* busier than the budget last second: walk a random budget/seen share of switches */
	if (b->last_seen > cfg_offcpu_stack_budget && bpf_get_prandom_u32() % b->last_seen >= cfg_offcpu_stack_budget)
		return false;
	b->used++;
	return true;
}

SEC("perf_event")
int profile_cpu(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 pid = (__u32)id, tgid = id >> 32;
	if (pid == 0 || tgid == cfg_self_pid)
		return 0;
	if (cfg_skip_kthreads) {
		struct task_struct *t = (struct task_struct *)bpf_get_current_task();
		if (BPF_CORE_READ(t, flags) & PF_KTHREAD)
			return 0;
	}
	struct zs_prof_key key = {};
	/* counted per process, not per thread: profiles are per process, and per-thread keys
	 * would multiply the entries user space drains (threads share stacks) */
	key.pid = tgid;
	key.tgid = tgid;
	key.gen = current_gen();
	key.user_stack = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	key.kern_stack = bpf_get_stackid(ctx, &stacks, 0);
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	stat_inc(ZS_PS_SAMPLES);
	if (key.user_stack < 0)
		stat_inc(ZS_PS_NO_USER_STACK);
	if (key.kern_stack < 0)
		stat_inc(ZS_PS_NO_KERN_STACK);
	add(&oncpu, &key, 1);
	return 0;
}

/* Shared by the tp_btf and raw_tp variants; task fields go through CO-RE reads so the
 * raw_tp one (untyped pointers) passes the verifier too. `ctx` is the current (prev)
 * task's context: the stacks taken here are where prev blocks. */
static __always_inline void on_switch(void *ctx, struct task_struct *prev, struct task_struct *next)
{
	__u64 now = bpf_ktime_get_ns();
	stat_inc(ZS_PS_SWITCHES);

	__u32 ppid = BPF_CORE_READ(prev, pid);
	__u32 ptgid = BPF_CORE_READ(prev, tgid);
	unsigned int pflags = BPF_CORE_READ(prev, flags);
	/* only blocked threads: a preempted one (still TASK_RUNNING) is waiting for a CPU,
	 * which on-CPU sampling already attributes to its work */
	if (ppid != 0 && ptgid != cfg_self_pid && !(pflags & PF_KTHREAD) &&
	    BPF_CORE_READ(prev, __state) != TASK_RUNNING) {
		struct zs_prof_sleep s = {};
		s.ts = now;
		s.tgid = ptgid;
		if (take_budget(now)) {
			s.user_stack = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
			s.kern_stack = bpf_get_stackid(ctx, &stacks, 0);
		} else {
			stat_inc(ZS_PS_STACK_BUDGET);
			s.user_stack = ZS_PROF_NO_BUDGET;
			s.kern_stack = ZS_PROF_NO_BUDGET;
		}
		BPF_CORE_READ_STR_INTO(&s.comm, prev, comm);
		if (bpf_map_update_elem(&sleeping, &ppid, &s, BPF_ANY))
			stat_inc(ZS_PS_SLEEP_FULL);
	}

	__u32 npid = BPF_CORE_READ(next, pid);
	if (npid == 0)
		return;
	struct zs_prof_sleep *s = bpf_map_lookup_elem(&sleeping, &npid);
	if (!s)
		return;
	__u64 delta = now - s->ts;
	if (delta >= cfg_offcpu_min_ns) {
		struct zs_prof_key key = {};
		key.pid = s->tgid; /* per process, as on-CPU */
		key.tgid = s->tgid;
		key.gen = current_gen();
		key.user_stack = s->user_stack;
		key.kern_stack = s->kern_stack;
		__builtin_memcpy(key.comm, s->comm, sizeof(key.comm));
		add(&offcpu, &key, delta);
	}
	bpf_map_delete_elem(&sleeping, &npid);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(offcpu_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	on_switch(ctx, prev, next);
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(offcpu_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	on_switch(ctx, prev, next);
	return 0;
}
