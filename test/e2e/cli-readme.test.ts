/**
 * The README's quickstart, run verbatim: the shell blocks under its
 * "Quickstart" heading are read from README.md at test time and run with
 * bash as written, so the test fails when the README drifts from what works.
 * Only the environment is the test's: BERTH_DATA_DIR and BERTH_PORT point at a
 * private data directory and a free port (the commands' documented defaults),
 * and KUBECONFIG is unset.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processesUsing, repoRoot, run } from './harness.ts';
import { cliSandbox, leftovers } from './cli-fixture.ts';

/** The ```sh blocks of the section whose heading starts with `heading`. */
function shellBlocks(markdown: string, heading: string): string[] {
  const start = markdown.search(new RegExp(`^## ${heading}`, 'm'));
  assert.notEqual(start, -1, `README has no "## ${heading}" section`);
  const rest = markdown.slice(start + 3);
  const end = rest.search(/^## /m);
  const section = end === -1 ? rest : rest.slice(0, end);
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

test('the README quickstart runs verbatim: serve --detach, kubectl against the seed pod, down; then the play one-liner', async (t) => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const blocks = shellBlocks(readme, 'Quickstart');
  assert.equal(blocks.length, 2, 'the quickstart has the kubectl session and the play one-liner');
  const { dir, env } = cliSandbox(t);
  const dataDir = join(dir, 'default-node');
  // One shell, as a reader types them into one terminal (KUBECONFIG stays exported for the one-liner).
  const marker = 'echo "=== the play one-liner"';
  const script = `set -euo pipefail\n${blocks[0]}\n${marker}\n${blocks[1]}`;
  // npm (behind npx) keeps a compile cache in os.tmpdir() when it runs on
  // Node 24; the test leaves nothing in /tmp, so the cache stays off here.
  const r = await run('bash', ['-c', `cd ${JSON.stringify(repoRoot)} && ${script}`], {
    env: { ...env, KUBECONFIG: '', NODE_DISABLE_COMPILE_CACHE: '1' },
    timeoutMs: 300_000,
  });
  const out = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.code, 0, out);
  const [session, play] = r.stdout.split('=== the play one-liner\n');
  assert.ok(play !== undefined, out);
  assert.match(session, new RegExp(`^berth is ready: export KUBECONFIG=${dataDir}/kubeconfig$`, 'm'));
  assert.match(session, /^pod\/kubia-init created$/m);
  assert.match(session, /^kubia-init\s+0\/2\s+Init:1\/2\s/m, 'the background watch showed the init progress');
  assert.match(session, /^kubia-init\s+2\/2\s+Running\s/m);
  assert.match(session, /^pod\/kubia-init condition met$/m);
  assert.match(session, /^init-demo: step 5 of 5$/m);
  assert.match(session, /Normal\s+Started\s+pod\/kubia-init\s+Started container envoy/);
  assert.match(session, /^Init Containers:$/m);
  assert.match(session, /^pod "kubia-init" deleted/m);
  assert.match(session, /^berth is down: (no pods|\d+ pods? deleted), berth stopped, .*state kept in /m);
  assert.deepEqual(processesUsing(dataDir), [], 'berth down stopped everything');

  assert.match(r.stderr, new RegExp(`berth: ignoring \\$KUBECONFIG: the berth node in ${dataDir} is not running`));
  assert.match(play, /^pod\/kubia-init Running \(2\/2 ready\) after/m);
  const ephemeral = /starting an ephemeral node in (\S+)/.exec(r.stderr)?.[1];
  assert.ok(ephemeral, r.stderr);
  assert.deepEqual(leftovers(ephemeral), []);
});
