/**
 * websocket — RFC 6455 for the server end kubectl talks to (and the client
 * end tests and tools use): framing (websocket-frames.ts, pure), the opening
 * handshake (websocket-handshake.ts, pure), and a connection over an
 * upgraded socket (websocket-connection.ts: message reassembly, pings, the
 * close handshake, bounds against a hostile peer).
 *
 * State: each WebSocketConnection owns its socket and decoder; its one timer
 * is the close handshake's timeout. Subprotocols and what their messages mean
 * are the caller's.
 */
export { Opcode, CloseCode, WebSocketProtocolError, isControl, applyMask, encodeFrameHeader, encodeFrame, closePayload, parseClosePayload, FrameDecoder } from './websocket-frames.ts';
export type { WebSocketFrame, FrameDecoderOptions } from './websocket-frames.ts';
export { WebSocketConnection } from './websocket-connection.ts';
export type { WebSocketOptions } from './websocket-connection.ts';
export { isWebSocketRequest, offeredProtocols, selectProtocol, acceptKey, handshakeProblem, switchingProtocolsResponse } from './websocket-handshake.ts';
