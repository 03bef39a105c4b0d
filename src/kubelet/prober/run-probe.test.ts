import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Server as GrpcServer, ServerCredentials, status as grpcStatus } from '@grpc/grpc-js';
import { fileURLToPath } from 'node:url';
import type { Container, Probe } from '../../api/api.ts';
import { loadProtos, serviceDefinition } from '../../cri/grpc-definitions.ts';
import { runProbe } from './run-probe.ts';
import type { ExecFn } from './exec-action.ts';
import { httpGetRequest } from './http-get.ts';

const noExec: ExecFn = async () => {
  throw new Error('exec not expected');
};

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const container = (ports: Container['ports'] = []): Container => ({ name: 'app', image: 'busybox:1.35', ports });
const target = (c = container()) => ({ containerId: 'c1', container: c, podIP: '127.0.0.1' });

test('httpGet probe succeeds on 2xx with the body as output and sends the kubelet headers', async (t) => {
  let seen: IncomingHttpHeaders = {};
  let path = '';
  const server = createServer((req, res) => {
    seen = req.headers;
    path = req.url ?? '';
    res.end('ok body');
  });
  t.after(() => server.close());
  const port = await listen(server);
  const probe: Probe = {
    httpGet: { port: 'web', path: '/healthz?x=1', scheme: 'HTTP', httpHeaders: [{ name: 'x-custom', value: 'v' }, { name: 'Host', value: 'example.test' }] },
    timeoutSeconds: 1,
  };
  const r = await runProbe(probe, target(container([{ name: 'web', containerPort: port }])), noExec);
  assert.deepEqual(r, { result: 'success', output: 'ok body' });
  assert.equal(path, '/healthz?x=1');
  assert.equal(seen['user-agent'], 'kube-probe/1.33');
  assert.equal(seen.accept, '*/*');
  assert.equal(seen['x-custom'], 'v');
  assert.equal(seen.host, 'example.test');
});

test('httpGet probe fails with the status code text on 404', async (t) => {
  const server = createServer((_req, res) => {
    res.statusCode = 404;
    res.end('not here');
  });
  t.after(() => server.close());
  const port = await listen(server);
  const r = await runProbe({ httpGet: { port, path: '/ready' }, timeoutSeconds: 1 }, target(), noExec);
  assert.deepEqual(r, { result: 'failure', output: 'HTTP probe failed with statuscode: 404' });
});

test('httpGet probe reports connection refused as Go does', async () => {
  const port = await closedPort();
  const r = await runProbe({ httpGet: { port, path: '/healthz' }, timeoutSeconds: 1 }, target(), noExec);
  assert.deepEqual(r, {
    result: 'failure',
    output: `Get "http://127.0.0.1:${port}/healthz": dial tcp 127.0.0.1:${port}: connect: connection refused`,
  });
});

test('httpGet probe times out after timeoutSeconds with the client timeout text', async (t) => {
  const server = createServer(() => {
    // Never answers.
  });
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const port = await listen(server);
  const started = Date.now();
  const r = await runProbe({ httpGet: { port }, timeoutSeconds: 1 }, target(), noExec);
  assert.ok(Date.now() - started >= 950, 'waited for the timeout');
  assert.deepEqual(r, {
    result: 'failure',
    output: `Get "http://127.0.0.1:${port}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
  });
});

test('httpGet probe follows a redirect on the same host and warns on one to another host', async (t) => {
  const server = createServer((req, res) => {
    if (req.url === '/old') {
      res.writeHead(302, { Location: '/new' }).end();
    } else if (req.url === '/away') {
      res.writeHead(301, { Location: 'http://other.invalid/x' }).end('moved');
    } else res.end('arrived');
  });
  t.after(() => server.close());
  const port = await listen(server);
  assert.deepEqual(await runProbe({ httpGet: { port, path: '/old' }, timeoutSeconds: 1 }, target(), noExec), {
    result: 'success',
    output: 'arrived',
  });
  assert.deepEqual(await runProbe({ httpGet: { port, path: '/away' }, timeoutSeconds: 1 }, target(), noExec), {
    result: 'warning',
    output: 'Probe terminated redirects, Response body: moved',
  });
});

test('httpGet probe cannot run when a named port does not exist', async () => {
  const r = await runProbe({ httpGet: { port: 'http' }, timeoutSeconds: 1 }, target(), noExec);
  assert.deepEqual(r, { result: 'unknown', error: 'strconv.Atoi: parsing "http": invalid syntax' });
});

test('httpGetRequest builds the URL and headers the kubelet sends', () => {
  const r = httpGetRequest({ port: 8080, path: 'healthz', scheme: 'HTTPS', httpHeaders: [{ name: 'accept', value: '' }] }, undefined, '10.244.0.5', 'lifecycle');
  assert.equal(r.url, 'https://10.244.0.5:8080/healthz');
  assert.deepEqual([...r.headers], [['User-Agent', ['kube-lifecycle/1.33']]]);
});

test('tcpSocket probe succeeds when the port accepts and fails with the dial text when refused', async (t) => {
  const server = createTcpServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;
  assert.deepEqual(await runProbe({ tcpSocket: { port }, timeoutSeconds: 1 }, target(), noExec), { result: 'success', output: '' });
  const closed = await closedPort();
  assert.deepEqual(await runProbe({ tcpSocket: { port: closed }, timeoutSeconds: 1 }, target(), noExec), {
    result: 'failure',
    output: `dial tcp 127.0.0.1:${closed}: connect: connection refused`,
  });
});

test('exec probe passes on exit 0, fails with the output otherwise, and fails with the timeout text', async () => {
  const calls: [string, string[], number][] = [];
  const exec: ExecFn = async (id, cmd, timeout) => {
    calls.push([id, cmd, timeout]);
    if (cmd[0] === 'ok') return { stdout: Buffer.from('fine\n'), stderr: Buffer.alloc(0), exitCode: 0 };
    if (cmd[0] === 'slow') throw Object.assign(new Error('ExecSync: timeout 2s exceeded: context deadline exceeded'), { code: 'DEADLINE_EXCEEDED' });
    if (cmd[0] === 'gone') throw Object.assign(new Error('ExecSync: container is not running'), { code: 'NOT_FOUND' });
    return { stdout: Buffer.from('out '), stderr: Buffer.from('err\n'), exitCode: 1 };
  };
  assert.deepEqual(await runProbe({ exec: { command: ['ok'] }, timeoutSeconds: 2 }, target(), exec), { result: 'success', output: 'fine\n' });
  assert.deepEqual(await runProbe({ exec: { command: ['bad'] }, timeoutSeconds: 2 }, target(), exec), { result: 'failure', output: 'out err\n' });
  assert.deepEqual(await runProbe({ exec: { command: ['slow', '-c', 'x'] }, timeoutSeconds: 2 }, target(), exec), {
    result: 'failure',
    output: 'command "slow -c x" timed out',
  });
  assert.deepEqual(await runProbe({ exec: { command: ['gone'] }, timeoutSeconds: 2 }, target(), exec), {
    result: 'unknown',
    error: 'rpc error: code = NotFound desc = container is not running',
  });
  assert.deepEqual(calls[0], ['c1', ['ok'], 2]);
});

test('grpc probe succeeds on SERVING and fails with the kubelet texts otherwise', async (t) => {
  const proto = fileURLToPath(new URL('./grpc-health.proto', import.meta.url));
  const health = serviceDefinition(loadProtos([proto]), 'grpc.health.v1.Health');
  const server = new GrpcServer();
  server.addService(health, {
    Check(call: any, cb: any) {
      const svc = call.request.service;
      if (svc === 'down') cb(null, { status: 'NOT_SERVING' });
      else if (svc === 'missing') cb({ code: grpcStatus.NOT_FOUND, details: 'unknown service' });
      else cb(null, { status: 'SERVING' });
    },
  });
  const port = await new Promise<number>((r, j) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? j(e) : r(p))));
  t.after(() => server.forceShutdown());
  assert.deepEqual(await runProbe({ grpc: { port }, timeoutSeconds: 2 }, target(), noExec), { result: 'success', output: 'service is serving' });
  assert.deepEqual(await runProbe({ grpc: { port, service: 'down' }, timeoutSeconds: 2 }, target(), noExec), {
    result: 'failure',
    output: 'service unhealthy (responded with "NOT_SERVING")',
  });
  assert.deepEqual(await runProbe({ grpc: { port, service: 'missing' }, timeoutSeconds: 2 }, target(), noExec), {
    result: 'failure',
    output: 'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service',
  });
  const closed = await closedPort();
  assert.deepEqual(await runProbe({ grpc: { port: closed }, timeoutSeconds: 1 }, target(), noExec), {
    result: 'failure',
    output: `timeout: failed to connect service "127.0.0.1:${closed}" within 1s: context deadline exceeded`,
  });
});

test('grpc probe reports a server without the health service', async (t) => {
  const server = new GrpcServer();
  const port = await new Promise<number>((r, j) => server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? j(e) : r(p))));
  t.after(() => server.forceShutdown());
  const r = await runProbe({ grpc: { port }, timeoutSeconds: 2 }, target(), noExec);
  assert.equal(r.result, 'failure');
  assert.match((r as { output: string }).output, /^error: this server does not implement the grpc health protocol \(grpc\.health\.v1\.Health\): /);
});
