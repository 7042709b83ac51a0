/* One BPF ring buffer read through its own mappings (no libbpf ring_buffer): a drain
 * takes only the records committed when it began, so a producer as fast as the reader
 * can't keep it in one endless drain, and the consumer position is stored once per
 * drain (the producers read it at every reserve). */
#ifndef ZS_MRING_H
#define ZS_MRING_H

#include <stddef.h>
#include <stdint.h>

struct mring {
	uint64_t mask; /* data size - 1 */
	uint64_t *consumer_pos; /* read-write page */
	const uint64_t *producer_pos; /* read-only: producer page, then the data mapped twice */
	const uint8_t *data;
	size_t prod_len;
};

/* Maps the ring `fd` of `bytes` data (a power of two); 0 or an errno. */
int mring_open(struct mring *m, int fd, uint64_t bytes);
/* Calls take(ctx, record, size) for each record committed before the call (discarded
 * ones skipped) and then frees their space; stops early at a record still being written. */
void mring_take(struct mring *m, void (*take)(void *ctx, const void *rec, uint32_t size), void *ctx);
void mring_close(struct mring *m);

#endif
