import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cellText, logLine, TableLines } from './live-view.ts';

const podColumns = [
  { name: 'Name', priority: 0 },
  { name: 'Ready', priority: 0 },
  { name: 'Status', priority: 0 },
  { name: 'Restarts', priority: 0 },
  { name: 'Age', priority: 0 },
  { name: 'IP', priority: 1 },
];

describe('TableLines', () => {
  it('TableLines prints the header before the first row, upper-cased, without wide columns', () => {
    const lines: string[] = [];
    const t = new TableLines((l) => lines.push(l));
    t.columns(podColumns);
    t.row(['kubia-init', '0/2', 'Pending', 0, '0s', '10.244.0.5']);
    assert.deepEqual(lines, ['NAME         READY   STATUS    RESTARTS   AGE', 'kubia-init   0/2     Pending   0          0s']);
  });

  it('TableLines widens a column when a longer cell comes, and prints the header once', () => {
    const lines: string[] = [];
    const t = new TableLines((l) => lines.push(l));
    t.columns(podColumns);
    t.row(['p', '0/1', 'Pending', 0, '0s']);
    t.row(['p', '0/1', 'Init:CrashLoopBackOff', '1 (2s ago)', '5s']);
    assert.equal(lines.length, 3);
    assert.equal(lines[2], 'p      0/1     Init:CrashLoopBackOff   1 (2s ago)   5s');
  });

  it('TableLines prints nothing before it knows its columns', () => {
    const lines: string[] = [];
    new TableLines((l) => lines.push(l)).row(['x']);
    assert.deepEqual(lines, []);
  });
});

describe('cellText and logLine', () => {
  it('cellText shows missing cells as <none> and folds newlines', () => {
    assert.equal(cellText(null), '<none>');
    assert.equal(cellText('a\n  b'), 'a b');
    assert.equal(cellText(3), '3');
  });

  it('logLine uses kubectl logs --prefix format', () => {
    assert.equal(logLine('kubia-init', 'init-demo', 'step 1'), '[pod/kubia-init/init-demo] step 1');
  });
});
