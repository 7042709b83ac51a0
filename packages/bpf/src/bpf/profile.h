/* Structs shared by profile.bpf.c and its TypeScript reader (src/profile/), which reads
 * the offsets from BTF: this header is the only definition. */
#ifndef ZS_PROFILE_H
#define ZS_PROFILE_H

#define ZS_PROF_COMM_LEN 16
#define ZS_PROF_STACK_DEPTH 127 /* PERF_MAX_STACK_DEPTH */

/* One aggregation key: a thread, its two stacks and the generation it was counted in.
 * User space flips the generation, then reads and deletes the previous one, so counting
 * never pauses and nothing is counted twice. */
struct zs_prof_key {
	__u32 pid;
	__u32 tgid;
	__s32 user_stack; /* stack map id, or a negative errno when the walk failed */
	__s32 kern_stack;
	__u32 gen;
	char comm[ZS_PROF_COMM_LEN];
	__u32 _pad;
};

/* A thread that went off CPU: when, and where (its stacks at sched_switch). */
struct zs_prof_sleep {
	__u64 ts;
	__u32 tgid;
	__s32 user_stack;
	__s32 kern_stack;
	char comm[ZS_PROF_COMM_LEN];
	__u32 _pad;
};

/* Per-CPU budget of off-CPU stack walks: `used` walks of `seen` blocking switches in the
 * second `window`; `last_seen` is the previous second's count, which sets the sampling
 * rate so walks spread evenly over the second instead of going to its first switches. */
struct zs_prof_budget {
	__u64 window;
	__u32 used;
	__u32 seen;
	__u32 last_seen;
	__u32 _pad;
};

/* Stack id of off-CPU time whose stack was not walked (budget spent): -ENOSPC */
#define ZS_PROF_NO_BUDGET (-28)

enum zs_prof_stat {
	ZS_PS_SAMPLES = 0,
	ZS_PS_NO_USER_STACK,
	ZS_PS_NO_KERN_STACK,
	ZS_PS_COUNT_FULL, /* a new key did not fit in the counts map */
	ZS_PS_SWITCHES,
	ZS_PS_SLEEP_FULL,
	ZS_PS_STACK_BUDGET, /* off-CPU switches past the stack-walk budget (time kept, no stack) */
	ZS_PS_MAX,
};

#endif
