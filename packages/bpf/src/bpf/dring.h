/* Socket data records in rings of our own instead of the kernel ring buffer: per CPU, a
 * byte ring (cfg_dring_bytes, a power of two, plus room for one more record past its end)
 * in an array the reader maps, a head the programs advance and a tail the reader advances.
 * No lock, no irq save/restore and no helper call per record: the kernel ring buffer's
 * reserve and submit cost ~85-120 ns per record here (bench by bpf_stats). Records are
 * packed (8-aligned), so small messages share cache lines and pages as in the kernel ring.
 * Only the tp_btf/raw_tp socket-data programs write them: they run with preemption off
 * and never nest on a CPU, so each CPU's ring has one writer. TLS uprobes (preemptible),
 * TCP and exec events keep the kernel rings. The reader: native/mdring.c. */
#ifndef ZS_DRING_H
#define ZS_DRING_H

#include "capture.h"

/* bytes per CPU; 0: socket data goes to the kernel rings */
const volatile __u32 cfg_dring_bytes = 0;

/* one per CPU, 128 bytes: head (written here) and tail (written by the reader), byte
 * positions that only grow, on cache lines of their own; native/mdring.c reads this */
struct zs_dring_ctl {
	__u64 head;
	__u64 pad1[7];
	__u64 tail;
	__u64 pad2[7];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1); /* user space: possible CPUs */
	__type(key, __u32);
	__type(value, struct zs_dring_ctl);
} dring_ctl SEC(".maps");

/* element c is CPU c's ring; user space sizes the elements (cfg_dring_bytes and one
 * record) and their count, so no BTF value type here. A record that runs past the ring's
 * end is written on into that room and the next starts at the ring's beginning. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct zs_data_event) + 8);
} data_rings SEC(".maps");

struct zs_dring_pos {
	struct zs_dring_ctl *ctl;
	__u64 head;
};

/* Room for a record of up to `max` bytes at this CPU's head (its place in *p), or NULL when
 * the ring is full (a drop, counted). */
static __always_inline struct zs_data_event *dring_take(struct zs_dring_pos *p, __u32 max)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct zs_dring_ctl *c = bpf_map_lookup_elem(&dring_ctl, &cpu);
	__u8 *ring = bpf_map_lookup_elem(&data_rings, &cpu);
	if (!c || !ring) {
		stat_inc(ZS_ST_DROPS);
		return 0;
	}
	__u64 head = c->head;
	if (head + max - *(volatile __u64 *)&c->tail > cfg_dring_bytes) {
		stat_inc(ZS_ST_DROPS);
		return 0;
	}
	p->ctl = c;
	p->head = head;
	return (struct zs_data_event *)(ring + (head & (cfg_dring_bytes - 1)));
}

/* Hands the record of `len` bytes (e->h.len) written since dring_take to the reader;
 * past cfg_wakeup_bytes on this CPU a discarded kernel-ring record wakes it (the kernel's
 * wake-up, with nothing to read). */
static __always_inline void dring_publish(const struct zs_dring_pos *p, __u32 len)
{
	barrier(); /* the record's stores first (x86 keeps stores in order) */
	*(volatile __u64 *)&p->ctl->head = p->head + ((len + 7) & ~7u);
	if (wakeup_flags(len) != BPF_RB_FORCE_WAKEUP)
		return;
	void *ring = cpu_ring();
	void *w = ring ? bpf_ringbuf_reserve(ring, sizeof(struct zs_header), 0) : 0;
	if (w)
		bpf_ringbuf_discard(w, BPF_RB_FORCE_WAKEUP);
}

#endif
