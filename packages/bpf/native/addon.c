#include "shim.h"

static void cleanup(void *arg)
{
	(void)arg;
	handle_close_all();
}

static napi_value js_close(napi_env env, napi_callback_info info)
{
	napi_value argv[1];
	int64_t id;
	if (!get_args(env, info, 1, argv, "close") || !arg_int(env, argv[0], "close", &id))
		return NULL;
	handle_close((int)id);
	return NULL;
}

static napi_value js_log(napi_env env, napi_callback_info info)
{
	(void)info;
	napi_value s;
	CHECK(env, napi_create_string_utf8(env, libbpf_log_tail(), NAPI_AUTO_LENGTH, &s), "log");
	libbpf_log_clear();
	return s;
}

static napi_value init(napi_env env, napi_value exports)
{
	libbpf_log_init();
	if (napi_add_env_cleanup_hook(env, cleanup, NULL) != napi_ok || !export_fn(env, exports, "close", js_close) ||
	    !export_fn(env, exports, "takeLog", js_log) || !register_object(env, exports) ||
	    !register_attach(env, exports) || !register_maps(env, exports) || !register_ring(env, exports) ||
	    !register_packet(env, exports))
		return throw_err(env, "init", 0, "cannot register the addon");
	return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
