/* Ring-buffer reader on the Node event loop: a uv_poll on libbpf's epoll fd (the
 * kernel side only wakes it past a byte threshold) plus a uv_timer that drains
 * whatever is left. Each drain hands JS one Buffer of records:
 *   [u32 size][u32 0][size bytes][pad to 8] ... */
#include "batch.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <uv.h>

struct bpf_object *object_from(napi_env env, napi_value v, const char *op);

struct ring {
	struct ring_buffer *rb;
	struct js_sink sink;
	struct batch batch;
	uv_poll_t poll;
	uv_timer_t timer;
	int uv_open; /* uv handles not yet closed; the struct is freed when it reaches 0 */
};

static int on_sample(void *ctx, void *data, size_t size)
{
	struct ring *r = ctx;
	uint32_t hdr[2] = {(uint32_t)size, 0};
	batch_append(&r->batch, hdr, sizeof(hdr), data, size);
	return 0;
}

static void drain(struct ring *r)
{
	if (!r->rb)
		return;
	ring_buffer__consume(r->rb);
	batch_deliver(&r->batch, &r->sink);
}

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
	free(r);
}

void ring_close(void *p)
{
	struct ring *r = p;
	sink_free(&r->sink);
	if (r->rb) {
		uv_poll_stop(&r->poll);
		uv_timer_stop(&r->timer);
		ring_buffer__free(r->rb);
		r->rb = NULL;
	}
	if (r->uv_open == 0) {
		batch_free(&r->batch);
		free(r);
		return;
	}
	int n = r->uv_open;
	if (n >= 1)
		uv_close((uv_handle_t *)&r->timer, on_uv_closed);
	if (n >= 2)
		uv_close((uv_handle_t *)&r->poll, on_uv_closed);
}

/* ringOpen(obj, mapName, onBatch(buf), intervalMs) -> handle */
static napi_value js_ring_open(napi_env env, napi_callback_info info)
{
	napi_value argv[4];
	char name[256];
	int64_t interval;
	if (!get_args(env, info, 4, argv, "ringOpen"))
		return NULL;
	struct bpf_object *o = object_from(env, argv[0], "ringOpen");
	if (!o || !arg_str(env, argv[1], "ringOpen", name, sizeof(name)) || !arg_int(env, argv[3], "ringOpen", &interval))
		return NULL;
	struct bpf_map *m = bpf_object__find_map_by_name(o, name);
	if (!m || bpf_map__fd(m) < 0)
		return throw_err(env, "ringOpen", ENOENT, name);
	uv_loop_t *loop;
	CHECK(env, napi_get_uv_event_loop(env, &loop), "ringOpen");
	struct ring *r = calloc(1, sizeof(*r));
	if (!r)
		return throw_err(env, "ringOpen", ENOMEM, NULL);
	int id = -1, err = 0;
	r->rb = ring_buffer__new(bpf_map__fd(m), on_sample, r, NULL);
	if (!r->rb) {
		err = errno;
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
	if (uv_poll_init(loop, &r->poll, ring_buffer__epoll_fd(r->rb))) {
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

static napi_value js_ring_drain(napi_env env, napi_callback_info info)
{
	napi_value argv[1];
	int64_t id;
	if (!get_args(env, info, 1, argv, "ringDrain") || !arg_int(env, argv[0], "ringDrain", &id))
		return NULL;
	struct ring *r = handle_get((int)id, H_RING);
	if (!r)
		return throw_err(env, "ringDrain", EBADF, NULL);
	drain(r);
	return NULL;
}

bool register_ring(napi_env env, napi_value exports)
{
	return export_fn(env, exports, "ringOpen", js_ring_open) && export_fn(env, exports, "ringDrain", js_ring_drain);
}
