#include "mdring.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static size_t page_round(size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	return (n + page - 1) & ~(page - 1);
}

int mdring_open(struct mdring *d, int ctl_fd, int rings_fd, uint32_t ncpu, uint64_t bytes, uint64_t elem)
{
	if (!ncpu || bytes < 4096 || (bytes & (bytes - 1)) || elem < bytes || elem % 8)
		return EINVAL;
	d->ncpu = ncpu;
	d->bytes = bytes;
	d->stride = elem;
	d->ctl_len = page_round((size_t)ncpu * MDRING_CTL_SIZE);
	d->rings_len = page_round((size_t)ncpu * elem);
	void *c = mmap(NULL, d->ctl_len, PROT_READ | PROT_WRITE, MAP_SHARED, ctl_fd, 0);
	if (c == MAP_FAILED)
		return errno;
	void *r = mmap(NULL, d->rings_len, PROT_READ, MAP_SHARED, rings_fd, 0);
	if (r == MAP_FAILED) {
		int err = errno;
		munmap(c, d->ctl_len);
		return err;
	}
	d->ctl = c;
	d->rings = r;
	return 0;
}

void mdring_take(struct mdring *d, void (*take)(void *ctx, const void *rec, uint32_t size), void *ctx)
{
	uint64_t room = d->stride - d->bytes; /* the most one record can be */
	for (uint32_t cpu = 0; cpu < d->ncpu; cpu++) {
		uint8_t *ctl = d->ctl + (size_t)cpu * MDRING_CTL_SIZE;
		uint64_t end = __atomic_load_n((uint64_t *)ctl, __ATOMIC_ACQUIRE);
		uint64_t t = *(uint64_t *)(ctl + MDRING_TAIL_AT); /* only this reader writes it */
		const uint8_t *ring = d->rings + (size_t)cpu * d->stride;
		while (t < end) {
			const uint8_t *rec = ring + (t & (d->bytes - 1));
			uint32_t len;
			memcpy(&len, rec + MDRING_LEN_AT, sizeof(len));
			if (len < MDRING_LEN_AT + 4 || len > room || len > end - t) {
				break; /* an impossible length, never written by the programs: the rest of this drain is dropped */
			}
			take(ctx, rec, len);
			t += (len + 7) & ~7u;
		}
		__atomic_store_n((uint64_t *)(ctl + MDRING_TAIL_AT), end, __ATOMIC_RELEASE);
	}
}

void mdring_close(struct mdring *d)
{
	if (d->ctl)
		munmap(d->ctl, d->ctl_len);
	if (d->rings)
		munmap((void *)d->rings, d->rings_len);
	d->ctl = NULL;
	d->rings = NULL;
}
