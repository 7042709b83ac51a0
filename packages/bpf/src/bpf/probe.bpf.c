// SPDX-License-Identifier: GPL-2.0
/* One trivial program per hook type: loaded and attached one at a time at start to
 * learn what this kernel allows (see src/probe.ts). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sched_process_fork")
int BPF_PROG(probe_tp_btf, struct task_struct *parent, struct task_struct *child) { return 0; }

extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

/* the kfunc the capture's tp_btf programs read a struct sock as a tcp_sock with */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(probe_btf_cast, struct task_struct *parent, struct task_struct *child)
{
	struct task_struct *t = bpf_rdonly_cast(child, bpf_core_type_id_kernel(struct task_struct));
	return t->pid == 0;
}

SEC("raw_tp/sched_process_fork")
int BPF_PROG(probe_raw_tp, struct task_struct *parent, struct task_struct *child) { return 0; }

SEC("tracepoint/sched/sched_process_fork")
int probe_tracepoint(void *ctx) { return 0; }

SEC("fentry/do_nanosleep")
int BPF_PROG(probe_fentry) { return 0; }

SEC("kprobe/do_nanosleep")
int BPF_KPROBE(probe_kprobe) { return 0; }

SEC("uprobe")
int BPF_KPROBE(probe_uprobe) { return 0; }

SEC("perf_event")
int probe_perf_event(void *ctx) { return 0; }

SEC("socket")
int probe_socket(struct __sk_buff *skb) { return 0; }
