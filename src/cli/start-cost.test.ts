import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const entry = join(import.meta.dirname, 'berth.js');
// Prints, at exit, the internal modules a run loaded that berth must not need.
const report = `data:text/javascript,process.on('exit',()=>process.stderr.write('LOADED '+JSON.stringify(process.moduleLoadList.filter((m)=>/amaro|undici/.test(m)))+'\\n'))`;

function loadedBy(command: string): string[] {
  const r = spawnSync(process.execPath, ['--import', report, entry, command, '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(/^LOADED (.*)$/m.exec(r.stderr)?.[1] ?? 'null');
}

test('berth serve and play start without the type stripper or undici once the compile cache is warm', () => {
  for (const command of ['serve', 'play']) {
    loadedBy(command); // warms the compile cache when a test run starts without one
    // amaro: the type stripper (a TypeScript entry, or a module the cache missed);
    // undici: what an ES import of node:http loads (see wire/node-http.ts).
    assert.deepEqual(loadedBy(command), [], `berth ${command} --help`);
  }
});
