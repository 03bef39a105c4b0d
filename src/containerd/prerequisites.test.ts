import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPrerequisites } from './prerequisites.ts';

function fakeMachine(t: { after: (fn: () => void) => void }, bins: string[], cniPlugins: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-prereq-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bin = join(dir, 'bin');
  const cni = join(dir, 'cni');
  mkdirSync(bin);
  mkdirSync(cni);
  for (const b of bins) symlinkSync('/bin/true', join(bin, b));
  for (const p of cniPlugins) symlinkSync('/bin/true', join(cni, p));
  return { path: bin, cniBinDir: cni };
}

test('checkPrerequisites reports runc with its install command when PATH lacks it', (t) => {
  const m = fakeMachine(t, ['containerd', 'containerd-shim-runc-v2', 'ctr'], ['bridge', 'host-local', 'loopback']);
  const missing = checkPrerequisites({ ...m, skipRootCheck: true });
  assert.deepEqual(missing, [{ what: 'runc', message: 'runc not found: install it with "apt-get install runc"' }]);
});

test('checkPrerequisites reports containerd binaries and CNI plugins with the package that provides them', (t) => {
  const m = fakeMachine(t, ['runc'], ['host-local']);
  const messages = checkPrerequisites({ ...m, skipRootCheck: true }).map((x) => x.message);
  assert.deepEqual(messages, [
    'containerd not found: install it with "apt-get install containerd"',
    'containerd-shim-runc-v2 not found: install it with "apt-get install containerd"',
    'ctr not found: install it with "apt-get install containerd"',
    `${m.cniBinDir}/bridge not found: install it with "apt-get install containernetworking-plugins"`,
    `${m.cniBinDir}/loopback not found: install it with "apt-get install containernetworking-plugins"`,
  ]);
});

test('checkPrerequisites finds nothing missing on this machine', () => {
  assert.deepEqual(checkPrerequisites(), []);
});
