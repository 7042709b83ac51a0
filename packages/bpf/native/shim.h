/* Shared declarations of the N-API shim. Policy lives in TypeScript; this layer only
 * translates calls, checks every napi/libbpf result and owns native resources. */
#ifndef ZS_SHIM_H
#define ZS_SHIM_H

#ifndef NAPI_VERSION
#define NAPI_VERSION 8
#endif
#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum handle_type { H_FREE = 0, H_OBJECT, H_LINK, H_SOCKFILTER, H_RING, H_PACKET };

/* Throws a JS Error carrying {op, errno} unless one is already pending; returns NULL
 * so callers can `return throw_err(...)`. err is a positive errno. */
napi_value throw_err(napi_env env, const char *op, int err, const char *detail);

/* napi call wrapper: on failure throw (once) and return NULL from the caller */
#define CHECK(env, call, op)                                                                   \
	do {                                                                                   \
		if ((call) != napi_ok)                                                         \
			return throw_err(env, op, 0, "napi call failed");                      \
	} while (0)

/* handle table: integers handed to JS, one close path for every kind */
int handle_add(enum handle_type type, void *ptr);
void *handle_get(int id, enum handle_type type);
void handle_close(int id);
void handle_close_all(void);

/* argument helpers; false means an exception is pending */
bool arg_int(napi_env env, napi_value v, const char *op, int64_t *out);
bool arg_str(napi_env env, napi_value v, const char *op, char *buf, size_t cap);
bool arg_buf(napi_env env, napi_value v, const char *op, void **data, size_t *len);
bool get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv, const char *op);
bool prop(napi_env env, napi_value obj, const char *name, napi_value *out);
napi_value make_int(napi_env env, int64_t v);
bool set_named(napi_env env, napi_value obj, const char *name, napi_value v);

void libbpf_log_init(void);
const char *libbpf_log_tail(void);
void libbpf_log_clear(void);

/* per-file registration */
bool register_object(napi_env env, napi_value exports);
bool register_attach(napi_env env, napi_value exports);
bool register_maps(napi_env env, napi_value exports);
bool register_ring(napi_env env, napi_value exports);
bool register_packet(napi_env env, napi_value exports);
bool export_fn(napi_env env, napi_value exports, const char *name, napi_callback cb);

/* closers used by handle_close */
void object_close(void *p);
void link_close(void *p);
void sockfilter_close(void *p);
void ring_close(void *p);
void packet_close(void *p);

#endif
