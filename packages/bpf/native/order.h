/* Timestamp order across per-CPU rings. A drain reads the rings one after another, so
 * a record committed on one CPU while another CPU's ring was being read could otherwise
 * be delivered after a later record of the same socket. Records carry their
 * CLOCK_MONOTONIC time in the first 8 bytes; a drain that started at time T delivers,
 * sorted, only records stamped before T (their writers had finished before the drain
 * looked at any ring) and holds the rest for the next drain. */
#ifndef ZS_ORDER_H
#define ZS_ORDER_H

#include "batch.h"

#include <stdint.h>

struct rec;

/* records held back, and buffers reused from drain to drain */
struct order {
	struct batch held;
	struct batch spare; /* becomes `held` after a drain */
	struct rec *recs, *tmp;
	size_t nrecs; /* room in recs and tmp */
	size_t n, ready; /* indexed records; the first `ready` of them are delivered */
	size_t ready_bytes;
};

/* Sorts the held records and those of `in` by time; returns the bytes of those stamped
 * before `before` (UINT64_MAX: all), which order_emit then writes. False when memory ran
 * out: then nothing is indexed and `in` should be delivered as it is. */
bool order_index(struct order *o, const struct batch *in, uint64_t before);
/* Writes the ready records to dst (order.ready_bytes long; NULL drops them) and keeps
 * the rest as held; `in` may then be emptied. */
void order_emit(void *dst, void *o);
void order_free(struct order *o);

#endif
