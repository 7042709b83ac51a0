/* BPF object lifecycle: open, configure before load (globals, autoload, map sizes),
 * load, and describe struct layouts from the object's BTF. */
#include "shim.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <string.h>

void object_close(void *p) { bpf_object__close((struct bpf_object *)p); }

static struct bpf_object *get_obj(napi_env env, napi_value v, const char *op)
{
	int64_t id;
	if (!arg_int(env, v, op, &id))
		return NULL;
	struct bpf_object *o = handle_get((int)id, H_OBJECT);
	if (!o)
		throw_err(env, op, EBADF, "not an open BPF object");
	return o;
}

struct bpf_object *object_from(napi_env env, napi_value v, const char *op) { return get_obj(env, v, op); }

static napi_value js_open(napi_env env, napi_callback_info info)
{
	napi_value argv[1];
	char path[4096];
	if (!get_args(env, info, 1, argv, "open") || !arg_str(env, argv[0], "open", path, sizeof(path)))
		return NULL;
	struct bpf_object *o = bpf_object__open_file(path, NULL);
	int err = libbpf_get_error(o);
	if (err)
		return throw_err(env, "open", -err, path);
	int id = handle_add(H_OBJECT, o);
	if (id < 0) {
		bpf_object__close(o);
		return throw_err(env, "open", EMFILE, "handle table full");
	}
	return make_int(env, id);
}

/* Writes bytes into a global variable of .rodata/.data/.bss before load, located by
 * name in the section's BTF DATASEC (works for `const volatile` config). */
static napi_value js_set_global(napi_env env, napi_callback_info info)
{
	napi_value argv[3];
	char name[256];
	void *data;
	size_t len;
	if (!get_args(env, info, 3, argv, "setGlobal"))
		return NULL;
	struct bpf_object *o = get_obj(env, argv[0], "setGlobal");
	if (!o || !arg_str(env, argv[1], "setGlobal", name, sizeof(name)) ||
	    !arg_buf(env, argv[2], "setGlobal", &data, &len))
		return NULL;
	struct btf *btf = bpf_object__btf(o);
	if (!btf)
		return throw_err(env, "setGlobal", ENOENT, "object has no BTF");
	struct bpf_map *map;
	bpf_object__for_each_map(map, o)
	{
		if (!bpf_map__is_internal(map))
			continue;
		const char *mname = bpf_map__name(map);
		const char *dot = strchr(mname, '.');
		if (!dot)
			continue;
		int sec_id = btf__find_by_name_kind(btf, dot, BTF_KIND_DATASEC);
		if (sec_id < 0)
			continue;
		const struct btf_type *sec = btf__type_by_id(btf, sec_id);
		const struct btf_var_secinfo *vs = btf_var_secinfos(sec);
		for (int i = 0; i < btf_vlen(sec); i++, vs++) {
			const struct btf_type *var = btf__type_by_id(btf, vs->type);
			if (strcmp(btf__name_by_offset(btf, var->name_off), name) != 0)
				continue;
			if (len != vs->size)
				return throw_err(env, "setGlobal", EINVAL, "size does not match the variable");
			size_t sz = 0;
			/* libbpf 1.1 returns const, but the region is the writable pre-load image */
			char *init = (char *)bpf_map__initial_value(map, &sz);
			if (!init || vs->offset + vs->size > sz)
				return throw_err(env, "setGlobal", EFAULT, "no initial value (already loaded?)");
			memcpy(init + vs->offset, data, len);
			return NULL;
		}
	}
	return throw_err(env, "setGlobal", ENOENT, name);
}

static struct bpf_program *find_prog(napi_env env, struct bpf_object *o, napi_value v, const char *op)
{
	char name[256];
	if (!arg_str(env, v, op, name, sizeof(name)))
		return NULL;
	struct bpf_program *p = bpf_object__find_program_by_name(o, name);
	if (!p)
		throw_err(env, op, ENOENT, name);
	return p;
}

struct bpf_program *program_from(napi_env env, napi_value objv, napi_value namev, const char *op)
{
	struct bpf_object *o = get_obj(env, objv, op);
	return o ? find_prog(env, o, namev, op) : NULL;
}

static napi_value js_set_autoload(napi_env env, napi_callback_info info)
{
	napi_value argv[3];
	bool on;
	if (!get_args(env, info, 3, argv, "setAutoload"))
		return NULL;
	struct bpf_program *p = program_from(env, argv[0], argv[1], "setAutoload");
	if (!p)
		return NULL;
	CHECK(env, napi_get_value_bool(env, argv[2], &on), "setAutoload");
	int err = bpf_program__set_autoload(p, on);
	return err ? throw_err(env, "setAutoload", -err, bpf_program__name(p)) : NULL;
}

/* setMapSize(obj, map, maxEntries, valueSize): valueSize 0 keeps the object's */
static napi_value js_set_map_size(napi_env env, napi_callback_info info)
{
	napi_value argv[4];
	char name[256];
	int64_t n, vs;
	if (!get_args(env, info, 4, argv, "setMapSize"))
		return NULL;
	struct bpf_object *o = get_obj(env, argv[0], "setMapSize");
	if (!o || !arg_str(env, argv[1], "setMapSize", name, sizeof(name)) || !arg_int(env, argv[2], "setMapSize", &n) ||
	    !arg_int(env, argv[3], "setMapSize", &vs))
		return NULL;
	struct bpf_map *m = bpf_object__find_map_by_name(o, name);
	if (!m)
		return throw_err(env, "setMapSize", ENOENT, name);
	if (n <= 0 || n > UINT32_MAX || vs < 0 || vs > UINT32_MAX)
		return throw_err(env, "setMapSize", EINVAL, name);
	int err = bpf_map__set_max_entries(m, (uint32_t)n);
	if (!err && vs)
		err = bpf_map__set_value_size(m, (uint32_t)vs);
	return err ? throw_err(env, "setMapSize", -err, name) : NULL;
}

static napi_value js_load(napi_env env, napi_callback_info info)
{
	napi_value argv[1];
	if (!get_args(env, info, 1, argv, "load"))
		return NULL;
	struct bpf_object *o = get_obj(env, argv[0], "load");
	if (!o)
		return NULL;
	libbpf_log_clear();
	int err = bpf_object__load(o);
	if (err) {
		/* the verifier log is long: keep its tail, which names the failing insn */
		const char *log = libbpf_log_tail();
		size_t len = strlen(log);
		return throw_err(env, "load", -err, len > 1500 ? log + len - 1500 : log);
	}
	return NULL;
}

static napi_value js_programs(napi_env env, napi_callback_info info)
{
	napi_value argv[1], arr;
	if (!get_args(env, info, 1, argv, "programs"))
		return NULL;
	struct bpf_object *o = get_obj(env, argv[0], "programs");
	if (!o)
		return NULL;
	CHECK(env, napi_create_array(env, &arr), "programs");
	struct bpf_program *p;
	uint32_t i = 0;
	bpf_object__for_each_program(p, o)
	{
		napi_value e, name, sec;
		CHECK(env, napi_create_object(env, &e), "programs");
		CHECK(env, napi_create_string_utf8(env, bpf_program__name(p), NAPI_AUTO_LENGTH, &name), "programs");
		CHECK(env, napi_create_string_utf8(env, bpf_program__section_name(p), NAPI_AUTO_LENGTH, &sec), "programs");
		if (!set_named(env, e, "name", name) || !set_named(env, e, "section", sec) ||
		    napi_set_element(env, arr, i++, e) != napi_ok)
			return throw_err(env, "programs", 0, "napi call failed");
	}
	return arr;
}

/* {size, fields: [[name, byteOffset, byteSize], ...]} of a struct in the object's BTF */
static napi_value js_layout(napi_env env, napi_callback_info info)
{
	napi_value argv[2], res, fields;
	char name[256];
	if (!get_args(env, info, 2, argv, "layout"))
		return NULL;
	struct bpf_object *o = get_obj(env, argv[0], "layout");
	if (!o || !arg_str(env, argv[1], "layout", name, sizeof(name)))
		return NULL;
	struct btf *btf = bpf_object__btf(o);
	int id = btf ? btf__find_by_name_kind(btf, name, BTF_KIND_STRUCT) : -ENOENT;
	if (id < 0)
		return throw_err(env, "layout", ENOENT, name);
	const struct btf_type *t = btf__type_by_id(btf, id);
	CHECK(env, napi_create_object(env, &res), "layout");
	CHECK(env, napi_create_array(env, &fields), "layout");
	const struct btf_member *m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		napi_value row, fname;
		long sz = btf__resolve_size(btf, m->type);
		CHECK(env, napi_create_array_with_length(env, 3, &row), "layout");
		CHECK(env, napi_create_string_utf8(env, btf__name_by_offset(btf, m->name_off), NAPI_AUTO_LENGTH, &fname),
		      "layout");
		if (napi_set_element(env, row, 0, fname) != napi_ok ||
		    napi_set_element(env, row, 1, make_int(env, btf_member_bit_offset(t, i) / 8)) != napi_ok ||
		    napi_set_element(env, row, 2, make_int(env, sz < 0 ? 0 : sz)) != napi_ok ||
		    napi_set_element(env, fields, (uint32_t)i, row) != napi_ok)
			return throw_err(env, "layout", 0, "napi call failed");
	}
	if (!set_named(env, res, "size", make_int(env, t->size)) || !set_named(env, res, "fields", fields))
		return throw_err(env, "layout", 0, "napi call failed");
	return res;
}

static napi_value js_num_cpus(napi_env env, napi_callback_info info)
{
	(void)info;
	int n = libbpf_num_possible_cpus();
	return n < 0 ? throw_err(env, "numCpus", -n, NULL) : make_int(env, n);
}

bool register_object(napi_env env, napi_value exports)
{
	return export_fn(env, exports, "open", js_open) && export_fn(env, exports, "setGlobal", js_set_global) &&
	       export_fn(env, exports, "setAutoload", js_set_autoload) &&
	       export_fn(env, exports, "setMapSize", js_set_map_size) && export_fn(env, exports, "load", js_load) &&
	       export_fn(env, exports, "programs", js_programs) && export_fn(env, exports, "layout", js_layout) &&
	       export_fn(env, exports, "numCpus", js_num_cpus);
}
