/* The interrupted syscall's user registers, read without helper calls where the kernel
 * allows (shared by capture.bpf.c and the bench's floor.bpf.c). */
#ifndef ZS_REGS_H
#define ZS_REGS_H

/* A BTF pointer reinterpreted as another kernel type (loads through it are checked
 * probe loads); the verifier turns the call into a move (kernels since 6.2). The tp_btf
 * programs use it instead of helpers whose call and return (a safe-RET thunk on this
 * machine's kernel) cost ~20-40 ns each. Weak: the raw_tp twins load without it. */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

/* Where a task's saved user registers sit past its stack base: the same for every task
 * of a kernel (THREAD_SIZE less padding), learned from bpf_task_pt_regs at the first
 * event; later events read them through a cast instead of that helper. */
__u64 regs_off = 0;

static __always_inline struct pt_regs *user_regs(struct task_struct *task, const int trusted)
{
	__u64 off = regs_off;
	if (trusted && off)
		return bpf_rdonly_cast(task->stack + off, bpf_core_type_id_kernel(struct pt_regs));
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
	if (trusted) {
		__u64 at = 0;
		bpf_probe_read_kernel(&at, sizeof(at), &regs); /* the address as a number */
		off = at - (__u64)task->stack;
		if (off > 0 && off < 65536)
			regs_off = off;
	}
	return regs;
}

#endif
