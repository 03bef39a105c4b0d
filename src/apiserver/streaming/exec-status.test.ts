import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translateUpstreamStatus, upgradeFailureMessage } from './exec-status.ts';

const json = (v: unknown) => JSON.stringify(v);
const upstream = (s: unknown) => Buffer.from(JSON.stringify(s));

test('translateUpstreamStatus sends success as kube-apiserver marshals it', () => {
  assert.equal(json(translateUpstreamStatus(upstream({ metadata: {}, status: 'Success' }))), '{"metadata":{},"status":"Success"}');
  assert.equal(json(translateUpstreamStatus(Buffer.alloc(0))), '{"metadata":{},"status":"Success"}');
});

test('translateUpstreamStatus rewrites containerd’s exit status into the translator’s NonZeroExitCode Status', () => {
  const containerd = {
    metadata: {},
    status: 'Failure',
    message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: '3' }] },
  };
  assert.equal(
    json(translateUpstreamStatus(upstream(containerd))),
    '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: command terminated with exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}',
  );
});

test('translateUpstreamStatus wraps other failures in an InternalError, as NewInternalError does', () => {
  const msg = 'Internal error occurred: error executing command in container: failed to exec in container: boom';
  assert.equal(
    json(translateUpstreamStatus(upstream({ metadata: {}, status: 'Failure', message: msg, reason: 'InternalError', code: 500 }))),
    json({
      metadata: {},
      status: 'Failure',
      message: `Internal error occurred: ${msg}`,
      reason: 'InternalError',
      details: { causes: [{ message: msg }] },
      code: 500,
    }),
  );
});

test('translateUpstreamStatus reports client-go’s protocol errors for malformed exit statuses', () => {
  const msg = (s: unknown) => (translateUpstreamStatus(upstream(s)) as { details: { causes: { message: string }[] } }).details.causes[0].message;
  assert.equal(msg({ status: 'Failure', reason: 'NonZeroExitCode' }), 'error stream protocol error: details must be set');
  assert.equal(msg({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [] } }), 'error stream protocol error: no ExitCode cause given');
  assert.equal(
    msg({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '300' }] } }),
    'error stream protocol error: invalid exit code value "300"',
  );
  assert.equal(msg({ status: 'Weird' }), 'error stream protocol error: unknown error');
  assert.match(String((translateUpstreamStatus(Buffer.from('not json')) as { message: string }).message), /^Internal error occurred: error stream protocol error: /);
});

test('upgradeFailureMessage reads a refusal as client-go’s SPDY dialer does', () => {
  assert.equal(upgradeFailureMessage('container not found ("x")\n'), 'unable to upgrade connection: container not found ("x")');
  assert.equal(upgradeFailureMessage(json({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'pods "p" not found' })), 'pods "p" not found');
});
