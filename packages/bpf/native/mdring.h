/* The socket-data rings of capture.bpf.c (src/bpf/dring.h) read through mappings of their
 * two arrays: per CPU a control element (u64 head at 0, written by the programs; u64 tail
 * at 64, written here; byte positions) and a ring of `bytes` (a power of two) followed by
 * room for one record. Records are packed at 8-byte boundaries, each starting with the
 * common header (time, kind, u32 length in use at 12). A take reads each CPU's records
 * from tail up to the head seen when it began, then stores the new tail. */
#ifndef ZS_MDRING_H
#define ZS_MDRING_H

#include <stddef.h>
#include <stdint.h>

#define MDRING_CTL_SIZE 128
#define MDRING_TAIL_AT 64
#define MDRING_LEN_AT 12

struct mdring {
	uint8_t *ctl; /* read-write */
	const uint8_t *rings;
	size_t ctl_len, rings_len;
	uint32_t ncpu;
	uint64_t bytes;  /* ring size */
	uint64_t stride; /* distance between two CPUs' rings */
};

/* Maps the arrays (`ctl_fd`: ncpu control elements; `rings_fd`: ncpu elements of `elem`
 * bytes, each a ring of `bytes` and the room after it); 0 or an errno. */
int mdring_open(struct mdring *d, int ctl_fd, int rings_fd, uint32_t ncpu, uint64_t bytes, uint64_t elem);
/* Calls take(ctx, record, length) for each record published before the call, then frees them. */
void mdring_take(struct mdring *d, void (*take)(void *ctx, const void *rec, uint32_t size), void *ctx);
void mdring_close(struct mdring *d);

#endif
