#include "mring.h"

#include <errno.h>
#include <linux/bpf.h>
#include <sys/mman.h>
#include <unistd.h>

int mring_open(struct mring *m, int fd, uint64_t bytes)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	m->mask = bytes - 1;
	m->consumer_pos = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m->consumer_pos == MAP_FAILED) {
		m->consumer_pos = NULL;
		return errno;
	}
	/* the kernel maps the data area twice in a row: a record that wraps reads straight */
	m->prod_len = page + 2 * bytes;
	void *p = mmap(NULL, m->prod_len, PROT_READ, MAP_SHARED, fd, (off_t)page);
	if (p == MAP_FAILED) {
		int err = errno;
		munmap(m->consumer_pos, page);
		m->consumer_pos = NULL;
		return err;
	}
	m->producer_pos = p;
	m->data = (const uint8_t *)p + page;
	return 0;
}

void mring_take(struct mring *m, void (*take)(void *ctx, const void *rec, uint32_t size), void *ctx)
{
	uint64_t cons = *m->consumer_pos; /* only this reader writes it */
	uint64_t prod = __atomic_load_n(m->producer_pos, __ATOMIC_ACQUIRE);
	while (cons < prod) {
		const uint32_t *hdr = (const uint32_t *)(m->data + (cons & m->mask));
		uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
		if (len & BPF_RINGBUF_BUSY_BIT)
			break; /* reserved, not yet submitted: the next drain takes it */
		uint32_t size = len & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
		if (!(len & BPF_RINGBUF_DISCARD_BIT))
			take(ctx, (const uint8_t *)hdr + BPF_RINGBUF_HDR_SZ, size);
		cons += (size + BPF_RINGBUF_HDR_SZ + 7) & ~7u;
	}
	__atomic_store_n(m->consumer_pos, cons, __ATOMIC_RELEASE);
}

void mring_close(struct mring *m)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (m->consumer_pos)
		munmap(m->consumer_pos, page);
	if (m->producer_pos)
		munmap((void *)m->producer_pos, m->prod_len);
	m->consumer_pos = NULL;
	m->producer_pos = NULL;
}
