#include "shim.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_HANDLES 4096

struct handle {
	enum handle_type type;
	void *ptr;
};

static struct handle handles[MAX_HANDLES];

napi_value throw_err(napi_env env, const char *op, int err, const char *detail)
{
	bool pending = false;
	if (napi_is_exception_pending(env, &pending) != napi_ok || pending)
		return NULL;
	char msg[2048];
	snprintf(msg, sizeof(msg), "%s: %s%s%s", op, detail ? detail : "", detail && err ? ": " : "",
		 err ? strerror(err) : "");
	napi_value m, e, o, n;
	if (napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &m) != napi_ok ||
	    napi_create_error(env, NULL, m, &e) != napi_ok ||
	    napi_create_string_utf8(env, op, NAPI_AUTO_LENGTH, &o) != napi_ok ||
	    napi_create_int32(env, err, &n) != napi_ok || napi_set_named_property(env, e, "op", o) != napi_ok ||
	    napi_set_named_property(env, e, "errno", n) != napi_ok) {
		napi_throw_error(env, "EBPF", msg);
		return NULL;
	}
	napi_throw(env, e);
	return NULL;
}

int handle_add(enum handle_type type, void *ptr)
{
	for (int i = 1; i < MAX_HANDLES; i++) {
		if (handles[i].type == H_FREE) {
			handles[i].type = type;
			handles[i].ptr = ptr;
			return i;
		}
	}
	return -1;
}

void *handle_get(int id, enum handle_type type)
{
	if (id <= 0 || id >= MAX_HANDLES || handles[id].type != type)
		return NULL;
	return handles[id].ptr;
}

void handle_close(int id)
{
	if (id <= 0 || id >= MAX_HANDLES || handles[id].type == H_FREE)
		return;
	struct handle h = handles[id];
	handles[id].type = H_FREE;
	handles[id].ptr = NULL;
	switch (h.type) {
	case H_OBJECT: object_close(h.ptr); break;
	case H_LINK: link_close(h.ptr); break;
	case H_SOCKFILTER: sockfilter_close(h.ptr); break;
	case H_RING: ring_close(h.ptr); break;
	case H_PACKET: packet_close(h.ptr); break;
	case H_FREE: break;
	}
}

/* readers and links first: they reference objects */
void handle_close_all(void)
{
	static const enum handle_type order[] = {H_RING, H_PACKET, H_SOCKFILTER, H_LINK, H_OBJECT};
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		for (int i = 1; i < MAX_HANDLES; i++)
			if (handles[i].type == order[k])
				handle_close(i);
}

bool get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv, const char *op)
{
	size_t argc = want;
	if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) {
		throw_err(env, op, 0, "cannot read arguments");
		return false;
	}
	if (argc < want) {
		throw_err(env, op, EINVAL, "missing arguments");
		return false;
	}
	return true;
}

bool arg_int(napi_env env, napi_value v, const char *op, int64_t *out)
{
	if (napi_get_value_int64(env, v, out) != napi_ok) {
		throw_err(env, op, EINVAL, "expected a number");
		return false;
	}
	return true;
}

bool arg_str(napi_env env, napi_value v, const char *op, char *buf, size_t cap)
{
	size_t len = 0;
	if (napi_get_value_string_utf8(env, v, buf, cap, &len) != napi_ok) {
		throw_err(env, op, EINVAL, "expected a string");
		return false;
	}
	if (len + 1 >= cap) {
		throw_err(env, op, ENAMETOOLONG, "string too long");
		return false;
	}
	return true;
}

bool arg_buf(napi_env env, napi_value v, const char *op, void **data, size_t *len)
{
	bool is = false;
	if (napi_is_buffer(env, v, &is) != napi_ok || !is || napi_get_buffer_info(env, v, data, len) != napi_ok) {
		throw_err(env, op, EINVAL, "expected a Buffer");
		return false;
	}
	return true;
}

bool prop(napi_env env, napi_value obj, const char *name, napi_value *out)
{
	bool has = false;
	if (napi_has_named_property(env, obj, name, &has) != napi_ok || !has)
		return false;
	if (napi_get_named_property(env, obj, name, out) != napi_ok)
		return false;
	napi_valuetype t;
	if (napi_typeof(env, *out, &t) != napi_ok || t == napi_undefined || t == napi_null)
		return false;
	return true;
}

napi_value make_int(napi_env env, int64_t v)
{
	napi_value r;
	if (napi_create_int64(env, v, &r) != napi_ok)
		return throw_err(env, "int", 0, "cannot create number");
	return r;
}

bool set_named(napi_env env, napi_value obj, const char *name, napi_value v)
{
	return v && napi_set_named_property(env, obj, name, v) == napi_ok;
}

bool export_fn(napi_env env, napi_value exports, const char *name, napi_callback cb)
{
	napi_value fn;
	return napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn) == napi_ok &&
	       napi_set_named_property(env, exports, name, fn) == napi_ok;
}

/* libbpf's messages (verifier log included) are kept so errors can carry them */
static char log_buf[32768];
static size_t log_len;

static int log_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* one message can be a whole verifier log: format it fully, keep its tail */
	static char line[1 << 18];
	if (level == LIBBPF_DEBUG)
		return 0;
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n <= 0)
		return 0;
	size_t len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
	const char *src = line;
	if (len >= sizeof(log_buf) / 2) {
		src = line + len - sizeof(log_buf) / 2;
		len = sizeof(log_buf) / 2;
	}
	if (log_len + len >= sizeof(log_buf)) {
		size_t keep = sizeof(log_buf) / 2 - 1;
		if (keep > log_len)
			keep = log_len;
		memmove(log_buf, log_buf + log_len - keep, keep);
		log_len = keep;
	}
	memcpy(log_buf + log_len, src, len);
	log_len += len;
	log_buf[log_len] = 0;
	return 0;
}

void libbpf_log_init(void) { libbpf_set_print(log_fn); }
const char *libbpf_log_tail(void) { return log_buf; }
void libbpf_log_clear(void)
{
	log_len = 0;
	log_buf[0] = 0;
}
