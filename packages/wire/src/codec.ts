/**
 * Binary columnar batch codec for the agent -> API link.
 *
 *   header: 'Z' 'S' version(1) schemaHash(u32le) rows(varint) columns(varint)
 *   column: tag(u8) bodyLength(varint) body
 *
 * Integers travel as varints (zigzag for signed, delta when smaller), low-cardinality and
 * repetitive strings as a dictionary plus codes, other strings as lengths then bytes, IPs
 * as 4 or 16 bytes. The decoder checks every length against the input, allocates in
 * proportion to the input, and reports garbage as a CodecError instead of throwing.
 */
// Encoder, decoder and what they share live in codec-encode.ts, codec-decode.ts and
// codec-format.ts; this module is the codec's one entry point.

export * from './codec-batch';
export { type DecodeOptions, decodeBatch } from './codec-decode';
export { encodeBatch } from './codec-encode';
export { CODEC_VERSION, CodecError, type DecodeResult, type EncodeStats, schemaHash } from './codec-format';
export { bytesToIp, ipToBytes } from './codec-ip';
