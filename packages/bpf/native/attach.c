/* Attaching programs. Every attachment is a handle closed through handle_close. */
#include "shim.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

struct bpf_program *program_from(napi_env env, napi_value objv, napi_value namev, const char *op);

struct sockfilter {
	int fd;
};

void link_close(void *p) { bpf_link__destroy((struct bpf_link *)p); }

void sockfilter_close(void *p)
{
	struct sockfilter *s = p;
	int dummy = 0;
	/* the socket may already be closed by its owner: ignore the result */
	(void)setsockopt(s->fd, SOL_SOCKET, SO_DETACH_BPF, &dummy, sizeof(dummy));
	free(s);
}

static bool str_prop(napi_env env, napi_value spec, const char *name, char *buf, size_t cap)
{
	napi_value v;
	if (!prop(env, spec, name, &v)) {
		throw_err(env, "attach", EINVAL, name);
		return false;
	}
	return arg_str(env, v, "attach", buf, cap);
}

static bool int_prop(napi_env env, napi_value spec, const char *name, int64_t dflt, int64_t *out)
{
	napi_value v;
	*out = dflt;
	return !prop(env, spec, name, &v) || arg_int(env, v, "attach", out);
}

static bool bool_prop(napi_env env, napi_value spec, const char *name, bool *out)
{
	napi_value v;
	*out = false;
	if (!prop(env, spec, name, &v))
		return true;
	if (napi_get_value_bool(env, v, out) != napi_ok) {
		throw_err(env, "attach", EINVAL, name);
		return false;
	}
	return true;
}

static napi_value link_result(napi_env env, struct bpf_link *link, const char *what)
{
	int err = libbpf_get_error(link);
	if (err)
		return throw_err(env, "attach", -err, what);
	int id = handle_add(H_LINK, link);
	if (id < 0) {
		bpf_link__destroy(link);
		return throw_err(env, "attach", EMFILE, "handle table full");
	}
	return make_int(env, id);
}

static napi_value attach_perf(napi_env env, struct bpf_program *p, napi_value spec)
{
	int64_t cpu, freq;
	if (!int_prop(env, spec, "cpu", 0, &cpu) || !int_prop(env, spec, "frequency", 99, &freq))
		return NULL;
	struct perf_event_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_CPU_CLOCK;
	attr.freq = 1;
	attr.sample_freq = (uint64_t)freq;
	int fd = (int)syscall(__NR_perf_event_open, &attr, -1, (int)cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return throw_err(env, "attach", errno, "perf_event_open");
	struct bpf_link *link = bpf_program__attach_perf_event(p, fd);
	if (libbpf_get_error(link)) {
		close(fd);
		return link_result(env, link, "perf_event");
	}
	return link_result(env, link, "perf_event"); /* the link owns fd from here on */
}

static napi_value attach_socket(napi_env env, struct bpf_program *p, napi_value spec)
{
	int64_t fd;
	if (!int_prop(env, spec, "fd", -1, &fd))
		return NULL;
	int pfd = bpf_program__fd(p);
	if (pfd < 0)
		return throw_err(env, "attach", EBADF, "program not loaded");
	if (setsockopt((int)fd, SOL_SOCKET, SO_ATTACH_BPF, &pfd, sizeof(pfd)))
		return throw_err(env, "attach", errno, "SO_ATTACH_BPF");
	struct sockfilter *s = malloc(sizeof(*s));
	int id = s ? handle_add(H_SOCKFILTER, s) : -1;
	if (id < 0) {
		if (s)
			sockfilter_close(s);
		return throw_err(env, "attach", ENOMEM, "socket filter");
	}
	s->fd = (int)fd;
	return make_int(env, id);
}

/* attach(obj, prog, {kind, ...}) -> handle */
static napi_value js_attach(napi_env env, napi_callback_info info)
{
	napi_value argv[3], kv;
	char kind[32], a[4096], b[256];
	if (!get_args(env, info, 3, argv, "attach"))
		return NULL;
	struct bpf_program *p = program_from(env, argv[0], argv[1], "attach");
	if (!p)
		return NULL;
	if (!prop(env, argv[2], "kind", &kv))
		return throw_err(env, "attach", EINVAL, "kind");
	if (!arg_str(env, kv, "attach", kind, sizeof(kind)))
		return NULL;
	if (!strcmp(kind, "auto"))
		return link_result(env, bpf_program__attach(p), bpf_program__name(p));
	if (!strcmp(kind, "tracepoint")) {
		if (!str_prop(env, argv[2], "category", b, sizeof(b)) || !str_prop(env, argv[2], "name", a, sizeof(a)))
			return NULL;
		return link_result(env, bpf_program__attach_tracepoint(p, b, a), a);
	}
	if (!strcmp(kind, "raw_tp")) {
		if (!str_prop(env, argv[2], "name", a, sizeof(a)))
			return NULL;
		return link_result(env, bpf_program__attach_raw_tracepoint(p, a), a);
	}
	if (!strcmp(kind, "uprobe")) {
		int64_t off, pid;
		bool ret;
		if (!str_prop(env, argv[2], "path", a, sizeof(a)) || !int_prop(env, argv[2], "offset", 0, &off) ||
		    !int_prop(env, argv[2], "pid", -1, &pid) || !bool_prop(env, argv[2], "retprobe", &ret))
			return NULL;
		return link_result(env, bpf_program__attach_uprobe(p, ret, (pid_t)pid, a, (size_t)off), a);
	}
	if (!strcmp(kind, "perf_event"))
		return attach_perf(env, p, argv[2]);
	if (!strcmp(kind, "socket"))
		return attach_socket(env, p, argv[2]);
	return throw_err(env, "attach", EINVAL, kind);
}

bool register_attach(napi_env env, napi_value exports) { return export_fn(env, exports, "attach", js_attach); }
