/**
 * node:http without its ES module facade. An `import … from 'node:http'`
 * builds the facade from every export, and reading node:http's lazy
 * `WebSocket`, `CloseEvent` and `MessageEvent` exports loads undici: ~35 ms
 * of every berth start, for nothing berth uses. The CommonJS module object
 * leaves them unread. (Type-only imports from 'node:http' are fine.)
 */
export const nodeHttp = process.getBuiltinModule('node:http');
