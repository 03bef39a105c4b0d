import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyOrder, ManifestError, readManifests } from './manifests.ts';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-manifests-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('readManifests', () => {
  it('readManifests reads every document of a multi-document file, skipping empty ones', (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n');
    const m = readManifests([join(dir, 'a.yaml')]);
    assert.deepEqual(m.map((x) => `${x.object.kind}/${x.object.metadata.name}`), ['Pod/a', 'ConfigMap/b']);
    assert.equal(m[0].source, join(dir, 'a.yaml'));
  });

  it('readManifests reads a directory in name order and expands kind: List', (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, '2.yml'), 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: c}}\n');
    writeFileSync(join(dir, '1.json'), '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"b"}}');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    assert.deepEqual(readManifests([dir]).map((x) => x.object.metadata.name), ['b', 'c']);
  });

  it('readManifests reads YAML 1.1 booleans as kubectl does', (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {hostNetwork: yes}\n');
    assert.equal(readManifests([join(dir, 'a.yaml')])[0].object.spec.hostNetwork, true);
  });

  it('readManifests reads stdin for "-"', () => {
    const m = readManifests(['-'], () => 'apiVersion: v1\nkind: Pod\nmetadata: {name: s}\n');
    assert.equal(m[0].source, 'STDIN');
  });

  it('readManifests rejects an object without kind with kubectl\'s words', (t) => {
    const dir = tempDir(t);
    const f = join(dir, 'a.yaml');
    writeFileSync(f, 'apiVersion: v1\nmetadata: {name: a}\n');
    assert.throws(() => readManifests([f]), new ManifestError(`error validating "${f}": error validating data: [kind not set]`));
  });

  it('readManifests rejects a missing path and an empty set', (t) => {
    const dir = tempDir(t);
    assert.throws(() => readManifests([join(dir, 'nope.yaml')]), /the path ".*nope.yaml" does not exist/);
    writeFileSync(join(dir, 'empty.yaml'), '---\n');
    assert.throws(() => readManifests([join(dir, 'empty.yaml')]), /no objects passed to apply/);
  });

  it('readManifests reports YAML syntax errors with the file name', (t) => {
    const dir = tempDir(t);
    writeFileSync(join(dir, 'bad.yaml'), 'a: [1, 2\n');
    assert.throws(() => readManifests([join(dir, 'bad.yaml')]), /error parsing .*bad.yaml/);
  });
});

describe('applyOrder', () => {
  it('applyOrder puts namespaces first and pods last, keeping file order within each', () => {
    const m = (kind: string, name: string) => ({ object: { kind, metadata: { name } }, source: 'f' });
    const order = applyOrder([m('Pod', 'p1'), m('Secret', 's'), m('Namespace', 'n'), m('Pod', 'p2'), m('ConfigMap', 'c')]);
    assert.deepEqual(order.map((x) => x.object.metadata.name), ['n', 's', 'c', 'p1', 'p2']);
  });
});
