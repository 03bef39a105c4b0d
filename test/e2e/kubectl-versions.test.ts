/**
 * kubectl versions (issue 4): the same representative session — apply, get,
 * get -w, logs, describe, a changed re-apply, delete — with each kubectl
 * binary in /usr/lib/google-cloud-sdk/bin. 1.30–1.33 speak aggregated
 * discovery and OpenAPI v3; 1.27–1.29 use legacy discovery and 1.27/1.28
 * validate and compute patches with OpenAPI v2 (berth serves an empty one).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BerthNode, Watcher } from './harness.ts';

const sdk = '/usr/lib/google-cloud-sdk/bin';
const versions = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'];

function manifest(name: string, tier: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {tier: ${tier}}
spec:
  initContainers:
  - name: init
    image: busybox:1.35
    command: ["sh", "-c", "echo init of ${name}"]
  containers:
  - name: main
    image: busybox:1.35
    command: ["sh", "-c", "echo hello from ${name}; trap 'exit 0' TERM; while true; do sleep 1; done"]
`;
}

test('the same kubectl session works with kubectl 1.27 to 1.33', async (t) => {
  const node = await BerthNode.start(t);
  for (const v of versions) {
    const bin = join(sdk, `kubectl.${v}`);
    await t.test(`kubectl ${v}`, { skip: !existsSync(bin) && `${bin} is not installed` }, async () => {
      const cache = join(node.dataDir, `kubectl-cache-${v}`);
      const k = async (args: string[], input?: string) => {
        const r = await node.kubectl(['--cache-dir', cache, ...args], { bin, input });
        assert.equal(r.code, 0, `kubectl ${v} ${args.join(' ')}: ${r.stderr}`);
        return r;
      };
      const name = `v${v.replace('.', '-')}`;
      const w = new Watcher(bin, ['--cache-dir', cache, 'get', 'pods', '-w', '-l', `tier`], node.env);
      t.after(() => w.stop());

      assert.equal((await k(['apply', '-f', '-'], manifest(name, 'a'))).stdout, `pod/${name} created\n`);
      await w.waitFor(new RegExp(`^${name}\\s+1/1\\s+Running\\s+0\\s`), 60_000);
      assert.match((await k(['get', 'pod', name])).stdout, new RegExp(`^NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\n${name}\\s+1/1\\s+Running\\s+0\\s`));
      assert.equal((await k(['logs', name])).stdout, `hello from ${name}\n`);
      assert.equal((await k(['logs', name, '-c', 'init'])).stdout, `init of ${name}\n`);
      const described = (await k(['describe', 'pod', name])).stdout;
      assert.match(described, new RegExp(`^Name:\\s+${name}\\n`));
      assert.match(described, /Init Containers:\n {2}init:\n/);
      assert.match(described, /Normal\s+Started\s+\S+\s+kubelet\s+Started container main\n/);
      assert.equal((await k(['apply', '-f', '-'], manifest(name, 'b'))).stdout, `pod/${name} configured\n`);
      assert.equal((await k(['get', 'pod', name, '-o', 'jsonpath={.metadata.labels.tier}'])).stdout, 'b');
      assert.equal((await k(['delete', 'pod', name])).stdout, `pod "${name}" deleted\n`);
      const gone = await node.kubectl(['--cache-dir', cache, 'get', 'pod', name], { bin });
      assert.equal(gone.stderr, `Error from server (NotFound): pods "${name}" not found\n`);
    });
  }
});
