/* Ring-buffer reader on the Node event loop: a uv_poll on an epoll fd holding the rings
 * (the kernel wakes it once per so many bytes written) plus a uv_timer that drains
 * whatever is left. The rings are read through their own mappings (mring.h): a drain
 * takes what was committed when it began, never an endless stream. Each drain hands JS
 * one Buffer of records:
 *   [u32 size][u32 0][size bytes][pad to 8] ...
 * The map is one ring, or an array of maps that this reader fills with one ring per
 * possible CPU; their records are merged in timestamp order (order.h). A reader given
 * a length offset copies only the bytes a record says it uses (a u32 there, 0 for all):
 * records built in place in the ring have a fixed reserved size. Socket data may come
 * in rings of the capture's own beside the kernel's (mdring.h): read in the same drain and
 * merged by time with the rest. */
#include "batch.h"
#include "mring.h"
#include "mdring.h"
#include "order.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

struct bpf_object *object_from(napi_env env, napi_value v, const char *op);

struct ring {
	struct mring *rings;
	int nrings;
	int epfd;
	struct js_sink sink;
	struct batch batch;
	uv_poll_t poll;
	uv_timer_t timer;
	int uv_open; /* uv handles not yet closed; the struct is freed when it reaches 0 */
	/* per-CPU mode: the ring fds this reader created (closed with it), and the merge state */
	int *fds;
	int nfds;
	struct order order;
	uint32_t len_at; /* offset of the record's u32 length in use; 0: none */
	struct mdring own; /* the capture's own data rings, mapped when own.ctl is set */
};

static void on_sample(void *ctx, const void *data, uint32_t size)
{
	struct ring *r = ctx;
	if (r->len_at && size >= r->len_at + 4) {
		uint32_t used;
		memcpy(&used, (const char *)data + r->len_at, 4);
		if (used && used <= size)
			size = used;
	}
	uint32_t hdr[2] = {size, 0};
	batch_append(&r->batch, hdr, sizeof(hdr), data, size);
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* final: deliver the records held back for ordering too (the reader is closing) */
static void drain_ex(struct ring *r, bool final)
{
	if (!r->nrings)
		return;
	uint64_t before = final ? UINT64_MAX : monotonic_ns();
	struct epoll_event evs[8];
	while (epoll_wait(r->epfd, evs, 8, 0) == 8) {
		/* clears the wake-ups this drain answers */
	}
	for (int i = 0; i < r->nrings; i++)
		mring_take(&r->rings[i], on_sample, r);
	if (r->own.ctl)
		mdring_take(&r->own, on_sample, r);
	if (r->nfds > 0 && order_index(&r->order, &r->batch, before)) {
		/* straight into the JS Buffer in time order; the rest waits in order.held */
		if (r->order.ready_bytes && r->sink.cb)
			sink_deliver(&r->sink, r->order.ready_bytes, order_emit, &r->order);
		if (r->order.n)
			order_emit(NULL, &r->order); /* not handed over (nothing ready, no sink): re-hold the rest */
		r->batch.len = 0;
		return;
	}
	batch_deliver(&r->batch, &r->sink);
}

static void drain(struct ring *r) { drain_ex(r, false); }

static void on_poll(uv_poll_t *h, int status, int events)
{
	(void)status;
	(void)events;
	drain(h->data);
}

static void on_timer(uv_timer_t *h) { drain(h->data); }

static void on_uv_closed(uv_handle_t *h)
{
	struct ring *r = h->data;
	if (--r->uv_open > 0)
		return;
	batch_free(&r->batch);
	order_free(&r->order);
	free(r);
}

static void close_rings(struct ring *r)
{
	mdring_close(&r->own);
	for (int i = 0; i < r->nrings; i++)
		mring_close(&r->rings[i]);
	free(r->rings);
	r->rings = NULL;
	r->nrings = 0;
	for (int i = 0; i < r->nfds; i++)
		close(r->fds[i]);
	free(r->fds);
	r->fds = NULL;
	r->nfds = 0;
	if (r->epfd > 0)
		close(r->epfd);
	r->epfd = -1;
}

void ring_close(void *p)
{
	struct ring *r = p;
	sink_free(&r->sink);
	if (r->uv_open >= 1)
		uv_timer_stop(&r->timer);
	if (r->uv_open >= 2)
		uv_poll_stop(&r->poll);
	close_rings(r);
	if (r->uv_open == 0) {
		batch_free(&r->batch);
		order_free(&r->order);
		free(r);
		return;
	}
	int n = r->uv_open;
	if (n >= 1)
		uv_close((uv_handle_t *)&r->timer, on_uv_closed);
	if (n >= 2)
		uv_close((uv_handle_t *)&r->poll, on_uv_closed);
}

/* Maps the ring `fd` of `bytes` into the reader and its epoll set; 0 or an errno. */
static int add_ring(struct ring *r, int fd, uint64_t bytes)
{
	struct mring *m = &r->rings[r->nrings];
	int err = mring_open(m, fd, bytes);
	if (err)
		return err;
	r->nrings++;
	/* edge-triggered: the set turns readable at the kernel's wake-ups (past the byte
	 * threshold) only, not whenever a record waits; the timer collects the rest */
	struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u32 = (uint32_t)r->nrings};
	return epoll_ctl(r->epfd, EPOLL_CTL_ADD, fd, &ev) ? errno : 0;
}

/* Creates one ring of `bytes` per possible CPU (at most the outer map's size), puts
 * each in the array of maps and adds it to the reader. Returns 0 or an errno. */
static int open_per_cpu(struct ring *r, struct bpf_map *outer, uint32_t bytes)
{
	int ncpu = libbpf_num_possible_cpus();
	if (ncpu <= 0)
		return -ncpu ? -ncpu : EINVAL;
	if ((uint32_t)ncpu > bpf_map__max_entries(outer))
		ncpu = (int)bpf_map__max_entries(outer);
	r->fds = calloc((size_t)ncpu, sizeof(int));
	r->rings = calloc((size_t)ncpu, sizeof(*r->rings));
	if (!r->fds || !r->rings)
		return ENOMEM;
	for (int cpu = 0; cpu < ncpu; cpu++) {
		int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "zs_cpu_ring", 0, 0, bytes, NULL);
		if (fd < 0)
			return errno;
		r->fds[r->nfds++] = fd;
		uint32_t key = (uint32_t)cpu;
		if (bpf_map_update_elem(bpf_map__fd(outer), &key, &fd, BPF_ANY))
			return errno;
		int err = add_ring(r, fd, bytes);
		if (err)
			return err;
	}
	return 0;
}

/* Maps the capture's own rings `rings_name` (one per CPU of `bytes`) and their controls
 * `ctl_name` into the reader; 0 or an errno. */
static int open_own(struct ring *r, struct bpf_object *o, const char *rings_name, const char *ctl_name, int64_t bytes)
{
	struct bpf_map *d = bpf_object__find_map_by_name(o, rings_name);
	struct bpf_map *c = bpf_object__find_map_by_name(o, ctl_name);
	if (!d || !c || bpf_map__fd(d) < 0 || bpf_map__fd(c) < 0)
		return ENOENT;
	uint32_t ncpu = bpf_map__max_entries(c);
	if (bytes <= 0 || bytes > (1ll << 30) || ncpu > bpf_map__max_entries(d))
		return EINVAL;
	uint64_t elem = ((uint64_t)bpf_map__value_size(d) + 7) & ~7ull;
	return mdring_open(&r->own, bpf_map__fd(c), bpf_map__fd(d), ncpu, (uint64_t)bytes, elem);
}

/* ringOpen(obj, mapName, onBatch(buf), intervalMs, perCpuBytes, lengthAt, ownRings, ownCtl, ownBytes) -> handle */
static napi_value js_ring_open(napi_env env, napi_callback_info info)
{
	napi_value argv[9];
	char name[256], own_name[256], ctl_name[256];
	int64_t interval, per_cpu, len_at, own_bytes;
	if (!get_args(env, info, 9, argv, "ringOpen"))
		return NULL;
	struct bpf_object *o = object_from(env, argv[0], "ringOpen");
	if (!o || !arg_str(env, argv[1], "ringOpen", name, sizeof(name)) || !arg_int(env, argv[3], "ringOpen", &interval) ||
	    !arg_int(env, argv[4], "ringOpen", &per_cpu) || !arg_int(env, argv[5], "ringOpen", &len_at) ||
	    !arg_str(env, argv[6], "ringOpen", own_name, sizeof(own_name)) ||
	    !arg_str(env, argv[7], "ringOpen", ctl_name, sizeof(ctl_name)) || !arg_int(env, argv[8], "ringOpen", &own_bytes))
		return NULL;
	if (len_at < 0 || len_at > 65536)
		return throw_err(env, "ringOpen", EINVAL, "lengthAt");
	struct bpf_map *m = bpf_object__find_map_by_name(o, name);
	if (!m || bpf_map__fd(m) < 0)
		return throw_err(env, "ringOpen", ENOENT, name);
	uv_loop_t *loop;
	CHECK(env, napi_get_uv_event_loop(env, &loop), "ringOpen");
	struct ring *r = calloc(1, sizeof(*r));
	if (!r)
		return throw_err(env, "ringOpen", ENOMEM, NULL);
	r->len_at = (uint32_t)len_at;
	int id = -1, err = 0;
	r->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (r->epfd < 0) {
		err = errno;
		goto fail;
	}
	if (bpf_map__type(m) == BPF_MAP_TYPE_ARRAY_OF_MAPS) {
		if (per_cpu <= 0 || per_cpu > (1ll << 30)) {
			err = EINVAL;
			goto fail;
		}
		err = open_per_cpu(r, m, (uint32_t)per_cpu);
		if (err)
			goto fail;
	} else if (bpf_map__type(m) == BPF_MAP_TYPE_RINGBUF) {
		r->rings = calloc(1, sizeof(*r->rings));
		err = r->rings ? add_ring(r, bpf_map__fd(m), bpf_map__max_entries(m)) : ENOMEM;
		if (err)
			goto fail;
	} else {
		err = EINVAL;
		goto fail;
	}
	if (own_name[0]) {
		err = open_own(r, o, own_name, ctl_name, own_bytes);
		if (err)
			goto fail;
	}
	if (!sink_init(&r->sink, env, argv[2], "zeroscope:ring")) {
		err = EINVAL;
		goto fail;
	}
	r->poll.data = r;
	r->timer.data = r;
	if (uv_timer_init(loop, &r->timer)) {
		err = EIO;
		goto fail;
	}
	r->uv_open = 1;
	if (uv_poll_init(loop, &r->poll, r->epfd)) {
		err = EIO;
		goto fail;
	}
	r->uv_open = 2;
	if (uv_poll_start(&r->poll, UV_READABLE, on_poll) ||
	    uv_timer_start(&r->timer, on_timer, (uint64_t)interval, (uint64_t)interval)) {
		err = EIO;
		goto fail;
	}
	/* the timer alone must not keep the process alive */
	uv_unref((uv_handle_t *)&r->timer);
	uv_unref((uv_handle_t *)&r->poll);
	id = handle_add(H_RING, r);
	if (id < 0) {
		err = EMFILE;
		goto fail;
	}
	return make_int(env, id);
fail:
	ring_close(r);
	return throw_err(env, "ringOpen", err, name);
}

/* ringDrain(ring, final) */
static napi_value js_ring_drain(napi_env env, napi_callback_info info)
{
	napi_value argv[2];
	int64_t id;
	bool final = false;
	if (!get_args(env, info, 2, argv, "ringDrain") || !arg_int(env, argv[0], "ringDrain", &id))
		return NULL;
	napi_get_value_bool(env, argv[1], &final);
	struct ring *r = handle_get((int)id, H_RING);
	if (!r)
		return throw_err(env, "ringDrain", EBADF, NULL);
	drain_ex(r, final);
	return NULL;
}

bool register_ring(napi_env env, napi_value exports)
{
	return export_fn(env, exports, "ringOpen", js_ring_open) && export_fn(env, exports, "ringDrain", js_ring_drain);
}
