/* Map element access by name. Per-CPU maps take and return one value per possible
 * CPU, each rounded up to 8 bytes, as the kernel lays them out. */
#include "shim.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct bpf_object *object_from(napi_env env, napi_value v, const char *op);

static struct bpf_map *get_map(napi_env env, napi_value objv, napi_value namev, const char *op)
{
	char name[256];
	struct bpf_object *o = object_from(env, objv, op);
	if (!o || !arg_str(env, namev, op, name, sizeof(name)))
		return NULL;
	struct bpf_map *m = bpf_object__find_map_by_name(o, name);
	if (!m)
		throw_err(env, op, ENOENT, name);
	return m;
}

static size_t value_bytes(struct bpf_map *m)
{
	enum bpf_map_type t = bpf_map__type(m);
	size_t v = bpf_map__value_size(m);
	if (t == BPF_MAP_TYPE_PERCPU_ARRAY || t == BPF_MAP_TYPE_PERCPU_HASH || t == BPF_MAP_TYPE_LRU_PERCPU_HASH ||
	    t == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE) {
		int n = libbpf_num_possible_cpus();
		return ((v + 7) & ~(size_t)7) * (size_t)(n > 0 ? n : 1);
	}
	return v;
}

static bool key_arg(napi_env env, struct bpf_map *m, napi_value v, const char *op, void **key)
{
	size_t len;
	if (!arg_buf(env, v, op, key, &len))
		return false;
	if (len != bpf_map__key_size(m)) {
		throw_err(env, op, EINVAL, "key size does not match the map");
		return false;
	}
	return true;
}

/* lookup(obj, map, key) -> Buffer | null */
static napi_value js_lookup(napi_env env, napi_callback_info info)
{
	napi_value argv[3], out, nul;
	void *key, *val;
	if (!get_args(env, info, 3, argv, "mapLookup"))
		return NULL;
	struct bpf_map *m = get_map(env, argv[0], argv[1], "mapLookup");
	if (!m || !key_arg(env, m, argv[2], "mapLookup", &key))
		return NULL;
	size_t vs = value_bytes(m);
	CHECK(env, napi_create_buffer(env, vs, &val, &out), "mapLookup");
	if (bpf_map_lookup_elem(bpf_map__fd(m), key, val)) {
		if (errno != ENOENT)
			return throw_err(env, "mapLookup", errno, bpf_map__name(m));
		CHECK(env, napi_get_null(env, &nul), "mapLookup");
		return nul;
	}
	return out;
}

static napi_value js_update(napi_env env, napi_callback_info info)
{
	napi_value argv[4];
	void *key, *val;
	size_t vlen;
	int64_t flags = 0;
	if (!get_args(env, info, 4, argv, "mapUpdate"))
		return NULL;
	struct bpf_map *m = get_map(env, argv[0], argv[1], "mapUpdate");
	if (!m || !key_arg(env, m, argv[2], "mapUpdate", &key) || !arg_buf(env, argv[3], "mapUpdate", &val, &vlen))
		return NULL;
	if (vlen != value_bytes(m))
		return throw_err(env, "mapUpdate", EINVAL, "value size does not match the map");
	size_t argc = 5;
	napi_value all[5];
	CHECK(env, napi_get_cb_info(env, info, &argc, all, NULL, NULL), "mapUpdate");
	if (argc >= 5 && !arg_int(env, all[4], "mapUpdate", &flags))
		return NULL;
	if (bpf_map_update_elem(bpf_map__fd(m), key, val, (uint64_t)flags))
		return throw_err(env, "mapUpdate", errno, bpf_map__name(m));
	return NULL;
}

static napi_value js_delete(napi_env env, napi_callback_info info)
{
	napi_value argv[3], res;
	void *key;
	if (!get_args(env, info, 3, argv, "mapDelete"))
		return NULL;
	struct bpf_map *m = get_map(env, argv[0], argv[1], "mapDelete");
	if (!m || !key_arg(env, m, argv[2], "mapDelete", &key))
		return NULL;
	bool ok = bpf_map_delete_elem(bpf_map__fd(m), key) == 0;
	if (!ok && errno != ENOENT)
		return throw_err(env, "mapDelete", errno, bpf_map__name(m));
	CHECK(env, napi_get_boolean(env, ok, &res), "mapDelete");
	return res;
}

/* nextKey(obj, map, key | null) -> Buffer | null (iteration) */
static napi_value js_next_key(napi_env env, napi_callback_info info)
{
	napi_value argv[3], out, nul;
	void *key = NULL, *next;
	if (!get_args(env, info, 3, argv, "mapNextKey"))
		return NULL;
	struct bpf_map *m = get_map(env, argv[0], argv[1], "mapNextKey");
	if (!m)
		return NULL;
	napi_valuetype t;
	CHECK(env, napi_typeof(env, argv[2], &t), "mapNextKey");
	if (t != napi_null && t != napi_undefined && !key_arg(env, m, argv[2], "mapNextKey", &key))
		return NULL;
	CHECK(env, napi_create_buffer(env, bpf_map__key_size(m), &next, &out), "mapNextKey");
	if (bpf_map_get_next_key(bpf_map__fd(m), key, next)) {
		if (errno != ENOENT)
			return throw_err(env, "mapNextKey", errno, bpf_map__name(m));
		CHECK(env, napi_get_null(env, &nul), "mapNextKey");
		return nul;
	}
	return out;
}

static napi_value js_map_info(napi_env env, napi_callback_info info)
{
	napi_value argv[2], res;
	if (!get_args(env, info, 2, argv, "mapInfo"))
		return NULL;
	struct bpf_map *m = get_map(env, argv[0], argv[1], "mapInfo");
	if (!m)
		return NULL;
	CHECK(env, napi_create_object(env, &res), "mapInfo");
	if (!set_named(env, res, "keySize", make_int(env, bpf_map__key_size(m))) ||
	    !set_named(env, res, "valueSize", make_int(env, (int64_t)value_bytes(m))) ||
	    !set_named(env, res, "maxEntries", make_int(env, bpf_map__max_entries(m))) ||
	    !set_named(env, res, "type", make_int(env, bpf_map__type(m))) ||
	    !set_named(env, res, "fd", make_int(env, bpf_map__fd(m))))
		return throw_err(env, "mapInfo", 0, "napi call failed");
	return res;
}

/* dump(obj, map) -> Buffer of every (key, value) pair, each key then value at their sizes.
 * One call instead of a next-key, lookup pair per element: the profiler drains thousands
 * of keys each interval. Elements deleted meanwhile are skipped; the walk restarts at most
 * a bounded number of times when the current key vanishes under it. */
static napi_value js_dump(napi_env env, napi_callback_info info)
{
	napi_value argv[2], out;
	if (!get_args(env, info, 2, argv, "mapDump"))
		return NULL;
	struct bpf_map *m = get_map(env, argv[0], argv[1], "mapDump");
	if (!m)
		return NULL;
	size_t ks = bpf_map__key_size(m), vs = value_bytes(m);
	size_t cap = (size_t)bpf_map__max_entries(m) * (ks + vs), len = 0;
	char *buf = malloc(cap ? cap : 1), *key = malloc(ks), *next = malloc(ks);
	if (!buf || !key || !next) {
		free(buf);
		free(key);
		free(next);
		return throw_err(env, "mapDump", ENOMEM, bpf_map__name(m));
	}
	int fd = bpf_map__fd(m), err = 0;
	bool first = true;
	while (len + ks + vs <= cap) {
		if (bpf_map_get_next_key(fd, first ? NULL : key, next)) {
			if (errno != ENOENT)
				err = errno;
			break;
		}
		first = false;
		memcpy(key, next, ks);
		if (bpf_map_lookup_elem(fd, next, buf + len + ks)) {
			if (errno == ENOENT)
				continue;
			err = errno;
			break;
		}
		memcpy(buf + len, next, ks);
		len += ks + vs;
	}
	free(key);
	free(next);
	if (err) {
		free(buf);
		return throw_err(env, "mapDump", err, bpf_map__name(m));
	}
	void *data;
	napi_status st = napi_create_buffer_copy(env, len, buf, &data, &out);
	free(buf);
	CHECK(env, st, "mapDump");
	return out;
}

/* deleteMany(obj, map, keys) -> number deleted; `keys` is keys back to back */
static napi_value js_delete_many(napi_env env, napi_callback_info info)
{
	napi_value argv[3];
	void *keys;
	size_t len;
	if (!get_args(env, info, 3, argv, "mapDeleteMany"))
		return NULL;
	struct bpf_map *m = get_map(env, argv[0], argv[1], "mapDeleteMany");
	if (!m || !arg_buf(env, argv[2], "mapDeleteMany", &keys, &len))
		return NULL;
	size_t ks = bpf_map__key_size(m);
	if (ks == 0 || len % ks)
		return throw_err(env, "mapDeleteMany", EINVAL, "keys are not a whole number of map keys");
	int fd = bpf_map__fd(m);
	int64_t n = 0;
	for (size_t off = 0; off < len; off += ks) {
		if (bpf_map_delete_elem(fd, (char *)keys + off) == 0)
			n++;
		else if (errno != ENOENT)
			return throw_err(env, "mapDeleteMany", errno, bpf_map__name(m));
	}
	return make_int(env, n);
}

bool register_maps(napi_env env, napi_value exports)
{
	return export_fn(env, exports, "mapLookup", js_lookup) && export_fn(env, exports, "mapUpdate", js_update) &&
	       export_fn(env, exports, "mapDelete", js_delete) && export_fn(env, exports, "mapNextKey", js_next_key) &&
	       export_fn(env, exports, "mapInfo", js_map_info) && export_fn(env, exports, "mapDump", js_dump) &&
	       export_fn(env, exports, "mapDeleteMany", js_delete_many);
}
