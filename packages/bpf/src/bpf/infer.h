/* Quick L7 inference from the first bytes of a message, so that bytes of protocols
 * the agent cannot parse are never copied. Coarse on purpose: user space parses. */
#ifndef ZS_INFER_H
#define ZS_INFER_H

#include "events.h"

#define ZS_PEEK 16

static __always_inline int is4(const __u8 *b, char a, char c, char d, char e)
{
	return b[0] == a && b[1] == c && b[2] == d && b[3] == e;
}

static __always_inline __u8 infer_proto(const __u8 *b, __u32 len, __u16 lport, __u16 rport, __u8 l4)
{
	if (l4 == IPPROTO_UDP)
		return (lport == 53 || rport == 53 || lport == 5353 || rport == 5353) ? ZS_P_DNS : ZS_P_UNKNOWN;
	if (lport == 53 || rport == 53)
		return ZS_P_DNS;
	if (len < 4)
		return ZS_P_UNKNOWN;
	if (is4(b, 'G', 'E', 'T', ' ') || is4(b, 'P', 'O', 'S', 'T') || is4(b, 'P', 'U', 'T', ' ') ||
	    is4(b, 'H', 'E', 'A', 'D') || is4(b, 'D', 'E', 'L', 'E') || is4(b, 'P', 'A', 'T', 'C') ||
	    is4(b, 'O', 'P', 'T', 'I') || is4(b, 'H', 'T', 'T', 'P') || is4(b, 'C', 'O', 'N', 'N') ||
	    is4(b, 'T', 'R', 'A', 'C'))
		return ZS_P_HTTP1;
	if (is4(b, 'P', 'R', 'I', ' '))
		return ZS_P_HTTP2;
	if (b[0] >= 0x14 && b[0] <= 0x17 && b[1] == 0x03 && b[2] <= 0x04)
		return ZS_P_TLS;
	if (is4(b, 'A', 'M', 'Q', 'P'))
		return ZS_P_AMQP;
	if (is4(b, 'I', 'N', 'F', 'O') || is4(b, 'P', 'U', 'B', ' ') || is4(b, 'S', 'U', 'B', ' ') ||
	    is4(b, 'M', 'S', 'G', ' ') || is4(b, 'P', 'I', 'N', 'G') || is4(b, 'P', 'O', 'N', 'G') ||
	    is4(b, '+', 'O', 'K', '\r') || is4(b, 'H', 'P', 'U', 'B'))
		return ZS_P_NATS;
	if ((b[0] == '*' || b[0] == '$') && b[1] >= '0' && b[1] <= '9')
		return ZS_P_REDIS;
	if ((b[0] == '+' || b[0] == '-' || b[0] == ':') && b[1] >= 0x20 && b[1] < 0x7f)
		return ZS_P_REDIS;
	if (b[0] == 0x10 && len > 8 && b[2] == 0 && b[3] == 4 && b[4] == 'M' && b[5] == 'Q')
		return ZS_P_MQTT;
	__u32 le3 = b[0] | (b[1] << 8) | (b[2] << 16);
	/* MySQL: 3-byte length + sequence id; command or greeting */
	if (le3 + 4 == len && (b[3] == 0 || b[3] == 1) && len > 4 &&
	    (b[4] == 0x03 || b[4] == 0x16 || b[4] == 0x17 || b[4] == 0x0a || b[4] == 0x0e || b[4] == 0x01))
		return ZS_P_MYSQL;
	__u32 be4 = ((__u32)b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
	if (len >= 8 && be4 == len) {
		__u32 v = ((__u32)b[4] << 24) | (b[5] << 16) | (b[6] << 8) | b[7];
		if (v == 196608 || v == 80877103) /* startup v3.0, SSLRequest */
			return ZS_P_POSTGRES;
	}
	if (len >= 5) {
		__u32 l = ((__u32)b[1] << 24) | (b[2] << 16) | (b[3] << 8) | b[4];
		char t = b[0];
		if (l >= 4 && l + 1 <= len &&
		    (t == 'Q' || t == 'P' || t == 'B' || t == 'E' || t == 'S' || t == 'X' || t == 'R' || t == 'T' ||
		     t == 'D' || t == 'C' || t == 'Z' || t == '1' || t == '2'))
			return ZS_P_POSTGRES;
	}
	/* Kafka request: size, api_key, api_version */
	if (len >= 8 && be4 + 4 == len && b[4] == 0 && b[5] <= 70 && b[6] == 0 && b[7] <= 20)
		return ZS_P_KAFKA;
	return ZS_P_UNKNOWN;
}

#endif
