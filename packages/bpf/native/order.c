#include "order.h"

#include <stdlib.h>
#include <string.h>

/* a record of a batch: [u32 size][u32 0][size bytes][pad to 8] */
struct rec {
	uint64_t ts;
	const char *at;
	uint32_t len; /* whole record, header and padding included */
};

/* indexes the records of b after the o->n already indexed, growing the index */
static bool index_batch(struct order *o, const struct batch *b)
{
	size_t off = 0;
	while (off + 8 <= b->len) {
		uint32_t size;
		memcpy(&size, b->data + off, 4);
		size_t whole = (8 + (size_t)size + 7) & ~(size_t)7;
		if (off + whole > b->len)
			break;
		if (o->n == o->nrecs) {
			size_t cap = o->nrecs ? 2 * o->nrecs : 4096;
			struct rec *r = realloc(o->recs, cap * sizeof(*r));
			if (!r)
				return false;
			o->recs = r;
			struct rec *t = realloc(o->tmp, cap * sizeof(*t));
			if (!t)
				return false;
			o->tmp = t;
			o->nrecs = cap;
		}
		uint64_t ts = 0;
		if (size >= 8)
			memcpy(&ts, b->data + off + 8, 8);
		o->recs[o->n++] = (struct rec){.ts = ts, .at = b->data + off, .len = (uint32_t)whole};
		off += whole;
	}
	return true;
}

/* merges the sorted runs a[lo, mid) and a[mid, hi) through tmp; stable */
static void merge(struct rec *a, struct rec *tmp, size_t lo, size_t mid, size_t hi)
{
	if (a[mid - 1].ts <= a[mid].ts)
		return;
	size_t i = lo, j = mid, k = lo;
	while (i < mid && j < hi)
		tmp[k++] = a[j].ts < a[i].ts ? a[j++] : a[i++];
	while (i < mid)
		tmp[k++] = a[i++];
	memcpy(a + lo, tmp + lo, (k - lo) * sizeof(*a));
}

/* Natural merge sort: each ring's records are (nearly) in time order already, so a
 * drain of k rings is a handful of runs merged in O(n log runs). */
static void sort_by_time(struct rec *a, struct rec *tmp, size_t n)
{
	for (;;) {
		size_t runs = 0, lo = 0;
		while (lo < n) {
			size_t mid = lo + 1;
			while (mid < n && a[mid - 1].ts <= a[mid].ts)
				mid++;
			size_t hi = mid;
			if (hi < n) {
				hi++;
				while (hi < n && a[hi - 1].ts <= a[hi].ts)
					hi++;
				merge(a, tmp, lo, mid, hi);
			}
			runs++;
			lo = hi;
		}
		if (runs <= 1)
			return;
	}
}

static bool reserve(struct batch *b, size_t need)
{
	if (b->cap >= need)
		return true;
	size_t cap = b->cap ? b->cap : 65536;
	while (cap < need)
		cap *= 2;
	char *d = realloc(b->data, cap);
	if (!d)
		return false;
	b->data = d;
	b->cap = cap;
	return true;
}

bool order_index(struct order *o, const struct batch *in, uint64_t before)
{
	o->n = o->ready = o->ready_bytes = 0;
	if (!reserve(&o->spare, o->held.len + in->len) || !index_batch(o, &o->held) || !index_batch(o, in)) {
		o->n = 0;
		return false;
	}
	sort_by_time(o->recs, o->tmp, o->n);
	size_t ready = 0, bytes = 0;
	while (ready < o->n && o->recs[ready].ts < before)
		bytes += o->recs[ready++].len;
	o->ready = ready;
	o->ready_bytes = bytes;
	return true;
}

void order_emit(void *dst, void *ctx)
{
	struct order *o = ctx;
	char *d = dst;
	for (size_t i = 0; d && i < o->ready; i++) {
		memcpy(d, o->recs[i].at, o->recs[i].len);
		d += o->recs[i].len;
	}
	o->spare.len = 0;
	for (size_t i = o->ready; i < o->n; i++) {
		memcpy(o->spare.data + o->spare.len, o->recs[i].at, o->recs[i].len);
		o->spare.len += o->recs[i].len;
	}
	struct batch t = o->held;
	o->held = o->spare;
	o->spare = t;
	o->spare.len = 0;
	o->n = o->ready = o->ready_bytes = 0;
}

void order_free(struct order *o)
{
	batch_free(&o->held);
	batch_free(&o->spare);
	free(o->recs);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
}
