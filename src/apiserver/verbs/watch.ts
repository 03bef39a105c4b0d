/**
 * WATCH: a chunked stream of `{"type","object"}` JSON lines, one per change,
 * flushed as it happens (docs/kubectl-protocol.md §4.2), or of length-prefixed
 * protobuf WatchEvents when the client negotiated protobuf.
 *
 * Bounded fan-out: events are written straight to the socket; if the client
 * falls behind by more than `maxBufferedBytes`, the watch is closed and the
 * client relists. Bookmarks are sent only when asked for. `timeoutSeconds`
 * (or, without it, kube-apiserver's randomised default) ends the stream cleanly.
 * Options are validated (a 422 on ListOptions) before the 200 is written;
 * failures after it travel as an ERROR event.
 */
import { toApiError } from '../status.ts';
import { notAcceptableForWatch } from '../negotiate.ts';
import { encodeWatchFrame, hasProtobufSchema, protobufMediaType } from '../protobuf/protobuf.ts';
import { namespaceOf, type RequestContext } from '../context.ts';
import { listOptions } from '../list-options.ts';
import type { WatchEvent } from '../../registry/registry.ts';
import { transformObject } from './transform.ts';

const maxBufferedBytes = 4 * 1024 * 1024;
const bookmarkEveryMs = 60_000;
/** kube-apiserver's --min-request-timeout default. */
const minRequestTimeoutSeconds = 1800;

/**
 * How long a watch lasts: `timeoutSeconds` when positive, else as
 * kube-apiserver's ListResource: a random time between the minimum request
 * timeout and twice it, so that reconnecting clients spread out.
 */
export function watchTimeoutMs(timeoutSeconds: number | undefined, random: () => number = Math.random): number {
  const seconds = timeoutSeconds && timeoutSeconds > 0 ? timeoutSeconds : minRequestTimeoutSeconds * (1 + random());
  return Math.round(seconds * 1000);
}

export function watch(ctx: RequestContext): void {
  const { res, query, store } = ctx;
  // NegotiateOutputMediaTypeStream: a type without a stream serializer (YAML) is a 406, before anything else.
  if (!ctx.output.streamable) throw notAcceptableForWatch();
  const ns = namespaceOf(ctx);
  const fieldSelector = [query.get('fieldSelector') ?? '', ctx.info.name ? `metadata.name=${ctx.info.name}` : '']
    .filter(Boolean)
    .join(',');
  const q = listOptions(query, true);
  const opts = {
    labelSelector: q.labelSelector,
    fieldSelector: fieldSelector || undefined,
    resourceVersion: q.resourceVersion,
    sendInitialEvents: q.sendInitialEvents,
    allowWatchBookmarks: q.allowWatchBookmarks,
  };
  store.checkListOptions(opts);
  const transform = ctx.output.transform;
  const apiVersion = store.info.group ? `${store.info.group}/${store.info.version}` : store.info.version;
  // Protobuf frames when negotiated and the (converted) kind has a schema; else JSON lines, where negotiation falls back.
  const protobuf =
    ctx.output.mediaType === protobufMediaType &&
    (transform ? hasProtobufSchema(`meta.k8s.io/${transform.version}`, transform.kind) : hasProtobufSchema(apiVersion, store.info.kind));
  let reported = false;
  const dropped = (err: Error) => {
    if (!reported) ctx.log(`protobuf watch on ${store.info.resource} leaves out what its schema lacks: ${err.message}`);
    reported = true;
  };
  const frame = (type: string, object: any): string | Buffer =>
    protobuf ? encodeWatchFrame(type, { apiVersion, kind: store.info.kind, ...object }, dropped) : JSON.stringify({ type, object }) + '\n';
  let first = true;
  /**
   * watchEmbeddedEncoder: every event's object converted as negotiated (a
   * Table's column definitions only in the first); one that cannot be (a
   * PartialObjectMetadataList of one object) is sent as it is.
   */
  const convert = (object: any): unknown => {
    if (!transform) return object;
    try {
      return transformObject(ctx, object, first);
    } catch {
      return object;
    } finally {
      first = false;
    }
  };
  const encode = (e: WatchEvent): string | Buffer => {
    // A Status is never converted; Tables convert the changes only (a bookmark's object has no row to print).
    const convertible =
      (e.object as { kind?: string }).kind !== 'Status' && (transform?.kind !== 'Table' || e.type === 'ADDED' || e.type === 'MODIFIED' || e.type === 'DELETED');
    return frame(e.type, convertible ? convert(e.object) : e.object);
  };

  let closed = false;
  let stop: () => void = () => {};
  let timeout: NodeJS.Timeout | undefined;
  let bookmarks: NodeJS.Timeout | undefined;
  /** Ends the stream: cleanly, or for a slow client by dropping the connection. */
  const close = (drop = false) => {
    if (closed) return;
    closed = true;
    stop();
    clearTimeout(timeout);
    clearInterval(bookmarks);
    if (drop) res.destroy();
    else if (!res.writableEnded) res.end();
  };
  const write = (line: string | Buffer) => {
    if (closed) return;
    res.write(line);
    if (res.writableLength > maxBufferedBytes) {
      ctx.log(`closing slow watch on ${store.info.resource}: ${res.writableLength} bytes buffered`);
      close(true);
    }
  };

  res.writeHead(200, {
    // As serveWatch: JSON streams say application/json, others their type with ;stream=watch.
    'Content-Type': protobuf ? `${protobufMediaType};stream=watch` : 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();
  res.on('close', () => close());
  ctx.signal.addEventListener('abort', () => close(), { once: true });

  try {
    // Replayed events are delivered during this call, before it returns.
    const s = store.watch(ns, opts, (e) => write(encode(e)));
    if (closed) s();
    else stop = s;
  } catch (err) {
    // Errors after the 200 travel as an ERROR event (e.g. 410 Expired).
    res.write(protobuf ? encodeWatchFrame('ERROR', toApiError(err).toStatus()) : JSON.stringify({ type: 'ERROR', object: toApiError(err).toStatus() }) + '\n');
    close();
    return;
  }
  // Dropped during the replay (a slow client): no timers for a stream that is gone.
  if (closed) return;

  timeout = setTimeout(() => close(), watchTimeoutMs(q.timeoutSeconds));
  if (q.allowWatchBookmarks) {
    bookmarks = setInterval(() => {
      const object = { kind: store.info.kind, apiVersion, metadata: { resourceVersion: store.currentResourceVersion() } };
      write(encode({ type: 'BOOKMARK', object } as WatchEvent));
    }, bookmarkEveryMs);
  }
}
