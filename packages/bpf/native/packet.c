/* AF_PACKET capture with a classic BPF filter, read on the Node event loop in
 * batches. Each frame record in the Buffer handed to JS:
 *   [u64 ts_us][u32 caplen][u32 wirelen][u32 ifindex][u16 pkttype][u16 0][caplen bytes][pad to 8] */
#define _GNU_SOURCE
#include "batch.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#define VLEN 64
#define MAX_BATCH (4u << 20)

struct frame_hdr {
	uint64_t ts_us;
	uint32_t caplen;
	uint32_t wirelen;
	uint32_t ifindex;
	uint16_t pkttype;
	uint16_t pad;
};

struct packet {
	int fd;
	uint32_t snaplen;
	struct js_sink sink;
	struct batch batch;
	uv_poll_t poll;
	bool polling;
	char *bufs; /* VLEN * snaplen */
};

static void drain(struct packet *p)
{
	struct mmsghdr msgs[VLEN];
	struct iovec iov[VLEN];
	struct sockaddr_ll addr[VLEN];
	char ctrl[VLEN][64];
	while (p->batch.len < MAX_BATCH) {
		memset(msgs, 0, sizeof(msgs));
		for (int i = 0; i < VLEN; i++) {
			iov[i].iov_base = p->bufs + (size_t)i * p->snaplen;
			iov[i].iov_len = p->snaplen;
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_name = &addr[i];
			msgs[i].msg_hdr.msg_namelen = sizeof(addr[i]);
			msgs[i].msg_hdr.msg_control = ctrl[i];
			msgs[i].msg_hdr.msg_controllen = sizeof(ctrl[i]);
		}
		int n = recvmmsg(p->fd, msgs, VLEN, MSG_DONTWAIT | MSG_TRUNC, NULL);
		if (n <= 0)
			break;
		for (int i = 0; i < n; i++) {
			struct frame_hdr h = {0};
			struct msghdr *mh = &msgs[i].msg_hdr;
			for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
				if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
					struct timespec ts;
					memcpy(&ts, CMSG_DATA(c), sizeof(ts));
					h.ts_us = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
				}
			}
			h.wirelen = msgs[i].msg_len;
			h.caplen = h.wirelen < p->snaplen ? h.wirelen : p->snaplen;
			h.ifindex = (uint32_t)addr[i].sll_ifindex;
			h.pkttype = addr[i].sll_pkttype;
			batch_append(&p->batch, &h, sizeof(h), iov[i].iov_base, h.caplen);
		}
		if (n < VLEN)
			break;
	}
	batch_deliver(&p->batch, &p->sink);
}

static void on_poll(uv_poll_t *h, int status, int events)
{
	(void)status;
	(void)events;
	drain(h->data);
}

static void on_closed(uv_handle_t *h)
{
	struct packet *p = h->data;
	batch_free(&p->batch);
	free(p->bufs);
	free(p);
}

void packet_close(void *ptr)
{
	struct packet *p = ptr;
	sink_free(&p->sink);
	if (p->fd >= 0) {
		if (p->polling)
			uv_poll_stop(&p->poll);
		close(p->fd);
		p->fd = -1;
	}
	if (p->polling) {
		uv_close((uv_handle_t *)&p->poll, on_closed);
		return;
	}
	batch_free(&p->batch);
	free(p->bufs);
	free(p);
}

/* packetOpen(ifname | "", cbpf Buffer | null, onBatch(buf), snaplen) -> handle */
static napi_value js_packet_open(napi_env env, napi_callback_info info)
{
	napi_value argv[4];
	char ifname[IF_NAMESIZE + 1];
	int64_t snaplen;
	if (!get_args(env, info, 4, argv, "packetOpen") || !arg_str(env, argv[0], "packetOpen", ifname, sizeof(ifname)) ||
	    !arg_int(env, argv[3], "packetOpen", &snaplen))
		return NULL;
	if (snaplen < 64 || snaplen > 65535)
		return throw_err(env, "packetOpen", EINVAL, "snaplen must be 64..65535");
	napi_valuetype ft;
	void *insns = NULL;
	size_t ilen = 0;
	CHECK(env, napi_typeof(env, argv[1], &ft), "packetOpen");
	if (ft != napi_null && ft != napi_undefined && !arg_buf(env, argv[1], "packetOpen", &insns, &ilen))
		return NULL;
	if (ilen % sizeof(struct sock_filter) || ilen / sizeof(struct sock_filter) > 4096)
		return throw_err(env, "packetOpen", EINVAL, "filter must be whole sock_filter instructions");
	unsigned ifindex = 0;
	if (ifname[0] && !(ifindex = if_nametoindex(ifname)))
		return throw_err(env, "packetOpen", errno, ifname);
	uv_loop_t *loop;
	CHECK(env, napi_get_uv_event_loop(env, &loop), "packetOpen");

	struct packet *p = calloc(1, sizeof(*p));
	if (!p)
		return throw_err(env, "packetOpen", ENOMEM, NULL);
	p->snaplen = (uint32_t)snaplen;
	p->bufs = malloc((size_t)VLEN * p->snaplen);
	/* protocol 0: nothing arrives before the filter is attached and bind() sets ETH_P_ALL */
	p->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int err = 0, one = 1, rcvbuf = 8 << 20, id;
	const char *what = "socket";
	if (!p->bufs || p->fd < 0) {
		err = p->bufs ? errno : ENOMEM;
		goto fail;
	}
	if (insns) {
		struct sock_fprog prog = {.len = (unsigned short)(ilen / sizeof(struct sock_filter)), .filter = insns};
		what = "SO_ATTACH_FILTER";
		if (setsockopt(p->fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog))) {
			err = errno;
			goto fail;
		}
	}
	what = "SO_TIMESTAMPNS";
	if (setsockopt(p->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one))) {
		err = errno;
		goto fail;
	}
	/* best effort: a larger queue absorbs bursts between event-loop turns */
	if (setsockopt(p->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		(void)setsockopt(p->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = (int)ifindex};
	what = "bind";
	if (bind(p->fd, (struct sockaddr *)&sll, sizeof(sll))) {
		err = errno;
		goto fail;
	}
	what = "callback";
	if (!sink_init(&p->sink, env, argv[2], "zeroscope:packet")) {
		err = EINVAL;
		goto fail;
	}
	what = "uv_poll";
	p->poll.data = p;
	if (uv_poll_init(loop, &p->poll, p->fd)) {
		err = EIO;
		goto fail;
	}
	p->polling = true;
	if (uv_poll_start(&p->poll, UV_READABLE, on_poll)) {
		err = EIO;
		goto fail;
	}
	uv_unref((uv_handle_t *)&p->poll);
	id = handle_add(H_PACKET, p);
	if (id < 0) {
		err = EMFILE;
		goto fail;
	}
	return make_int(env, id);
fail:
	packet_close(p);
	return throw_err(env, "packetOpen", err, what);
}

static napi_value js_packet_fd(napi_env env, napi_callback_info info)
{
	napi_value argv[1];
	int64_t id;
	if (!get_args(env, info, 1, argv, "packetFd") || !arg_int(env, argv[0], "packetFd", &id))
		return NULL;
	struct packet *p = handle_get((int)id, H_PACKET);
	return p ? make_int(env, p->fd) : throw_err(env, "packetFd", EBADF, NULL);
}

static napi_value js_packet_drain(napi_env env, napi_callback_info info)
{
	napi_value argv[1];
	int64_t id;
	if (!get_args(env, info, 1, argv, "packetDrain") || !arg_int(env, argv[0], "packetDrain", &id))
		return NULL;
	struct packet *p = handle_get((int)id, H_PACKET);
	if (!p)
		return throw_err(env, "packetDrain", EBADF, NULL);
	drain(p);
	return NULL;
}

bool register_packet(napi_env env, napi_value exports)
{
	return export_fn(env, exports, "packetOpen", js_packet_open) && export_fn(env, exports, "packetFd", js_packet_fd) &&
	       export_fn(env, exports, "packetDrain", js_packet_drain);
}
