/* A growable byte batch handed to JavaScript as one Buffer per wake-up, and the JS
 * callback it goes to. Shared by the ring-buffer and AF_PACKET readers. */
#ifndef ZS_BATCH_H
#define ZS_BATCH_H

#include "shim.h"

struct batch {
	char *data;
	size_t len;
	size_t cap;
	uint64_t lost; /* records dropped because memory ran out */
};

struct js_sink {
	napi_env env;
	napi_ref cb;
	napi_async_context actx;
};

/* appends header + payload, padded to 8 bytes; false when memory ran out */
bool batch_append(struct batch *b, const void *hdr, size_t hlen, const void *data, size_t len);
void batch_free(struct batch *b);
/* calls the sink with one Buffer holding the batch, then empties it */
void batch_deliver(struct batch *b, struct js_sink *s);
/* calls the sink with one Buffer of `len` bytes that `fill` writes */
void sink_deliver(struct js_sink *s, size_t len, void (*fill)(void *dst, void *ctx), void *ctx);
bool sink_init(struct js_sink *s, napi_env env, napi_value cb, const char *name);
void sink_free(struct js_sink *s);

#endif
