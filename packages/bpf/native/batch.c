#include "batch.h"

#include <stdlib.h>
#include <string.h>

bool batch_append(struct batch *b, const void *hdr, size_t hlen, const void *data, size_t len)
{
	size_t need = (hlen + len + 7) & ~(size_t)7;
	if (b->len + need > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		while (cap < b->len + need)
			cap *= 2;
		char *n = realloc(b->data, cap);
		if (!n) {
			b->lost++;
			return false;
		}
		b->data = n;
		b->cap = cap;
	}
	memcpy(b->data + b->len, hdr, hlen);
	memcpy(b->data + b->len + hlen, data, len);
	memset(b->data + b->len + hlen + len, 0, need - hlen - len);
	b->len += need;
	return true;
}

void batch_free(struct batch *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

void sink_deliver(struct js_sink *s, size_t len, void (*fill)(void *dst, void *ctx), void *ctx)
{
	if (!len || !s->cb)
		return;
	napi_env env = s->env;
	napi_handle_scope scope;
	if (napi_open_handle_scope(env, &scope) != napi_ok)
		return;
	napi_value buf, cb, recv, result;
	void *dst;
	if (napi_create_buffer(env, len, &dst, &buf) == napi_ok && napi_get_reference_value(env, s->cb, &cb) == napi_ok &&
	    napi_get_global(env, &recv) == napi_ok) {
		fill(dst, ctx);
		/* make_callback: runs microtasks and routes a throw to 'uncaughtException' */
		if (napi_make_callback(env, s->actx, recv, cb, 1, &buf, &result) != napi_ok) {
			/* a throwing callback must not leave the exception pending for the
			 * next unrelated napi call: report it as uncaught, as Node does */
			napi_value exc;
			if (napi_get_and_clear_last_exception(env, &exc) == napi_ok)
				napi_fatal_exception(env, exc);
		}
	}
	napi_close_handle_scope(env, scope);
}

static void copy_batch(void *dst, void *ctx)
{
	struct batch *b = ctx;
	memcpy(dst, b->data, b->len);
}

void batch_deliver(struct batch *b, struct js_sink *s)
{
	if (b->len && s->cb)
		sink_deliver(s, b->len, copy_batch, b);
	b->len = 0;
}

bool sink_init(struct js_sink *s, napi_env env, napi_value cb, const char *name)
{
	napi_value res_name;
	s->env = env;
	if (napi_create_reference(env, cb, 1, &s->cb) != napi_ok)
		return false;
	if (napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &res_name) != napi_ok ||
	    napi_async_init(env, NULL, res_name, &s->actx) != napi_ok) {
		napi_delete_reference(env, s->cb);
		s->cb = NULL;
		return false;
	}
	return true;
}

void sink_free(struct js_sink *s)
{
	if (s->cb)
		napi_delete_reference(s->env, s->cb);
	if (s->actx)
		napi_async_destroy(s->env, s->actx);
	s->cb = NULL;
	s->actx = NULL;
}
