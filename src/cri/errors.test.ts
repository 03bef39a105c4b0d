import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CriCode, CriError, criErrorDetails, rpcErrorText } from './errors.ts';

test('rpcErrorText prints a CriError as Go prints a gRPC error, without the method name', () => {
  const err = new CriError('StartContainer', CriCode.Unknown, 'StartContainer: failed to create containerd task: exit status 1');
  assert.equal(rpcErrorText(err), 'rpc error: code = Unknown desc = failed to create containerd task: exit status 1');
  assert.equal(criErrorDetails(err), 'failed to create containerd task: exit status 1');
  assert.equal(rpcErrorText(new CriError('Exec', 'CANCELLED', 'Exec: context canceled')), 'rpc error: code = Canceled desc = context canceled');
  assert.equal(rpcErrorText(new CriError('Version', 'SOMETHING_NEW', 'Version: x')), 'rpc error: code = Unknown desc = x');
});

test('criErrorDetails and rpcErrorText leave other errors as their message', () => {
  assert.equal(rpcErrorText(new Error('unable to parse auth field')), 'unable to parse auth field');
  assert.equal(criErrorDetails('plain'), 'plain');
});
