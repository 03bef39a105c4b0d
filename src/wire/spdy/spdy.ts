/**
 * spdy — SPDY/3 as spdystream (the library behind the kubelet's and
 * containerd's streaming servers) speaks it under the name "SPDY/3.1":
 * framing (spdy-frames.ts, pure), header compression with the SPDY
 * dictionary (spdy-header-codec.ts, spdy-dictionary.ts), the client end of a
 * session (spdy-session.ts), and the filter that re-frames what an untrusted
 * client sends before any of it reaches containerd (spdy-client-filter.ts
 * over spdy-frame-reader.ts and the pure rules in spdy-client-rules.ts).
 *
 * State: each session and filter owns its socket, its zlib streams and its
 * stream table; the one timer is a session's grace before it destroys a
 * socket it ended. Which streams a protocol opens and what flows
 * on them are the caller's.
 */
export { spdyVersion, FrameType, Flag, RstStatus, GoAwayStatus, maxFrameLength, SpdyProtocolError, SpdyFrameDecoder } from './spdy-frames.ts';
export { encodeDataHead, encodeData, encodeSynStream, encodeSynReply, encodeHeaders, encodeRstStream, encodePing, encodeGoAway, encodeWindowUpdate, encodeSettings } from './spdy-frames.ts';
export { parseSynStream, parseStreamHeaders, parseRstStream, parsePing, parseGoAway, parseWindowUpdate, parseSettings, encodeHeaderBlock, decodeHeaderBlock } from './spdy-frames.ts';
export type { SpdyFrame, HeaderMap } from './spdy-frames.ts';
export { HeaderCompressor, HeaderDecompressor } from './spdy-header-codec.ts';
export { spdyDictionary } from './spdy-dictionary.ts';
export { SpdyClientSession, SpdyStream } from './spdy-session.ts';
export type { StreamEnd, StreamHandlers } from './spdy-session.ts';
export { SpdyClientFilter } from './spdy-client-filter.ts';
export type { SpdyClientFilterOptions } from './spdy-client-filter.ts';
export { defaultSpdyLimits } from './spdy-client-rules.ts';
export type { SpdyLimits } from './spdy-client-rules.ts';
