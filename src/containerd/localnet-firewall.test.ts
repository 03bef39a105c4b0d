import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  installLocalnetFirewall,
  LocalnetFirewallError,
  removeLocalnetFirewall,
  renderLocalnetFirewall,
  type CommandResult,
  type Iptables,
} from './localnet-firewall.ts';

/**
 * The filter table as iptables would keep it, for the commands berth issues:
 * restore with declared chains (flushed), -C, -I, -D, -L, -F, -X.
 */
function fakeIptables(initial: Record<string, string[]> = {}) {
  const chains = new Map<string, string[]>([
    ['INPUT', []],
    ['FORWARD', []],
    ['OUTPUT', []],
    ...Object.entries(initial),
  ]);
  const calls: string[] = [];
  const ok: CommandResult = { code: 0, stderr: '' };
  const noChain: CommandResult = { code: 1, stderr: 'iptables: No chain/target/match by that name.' };
  const ipt: Iptables = {
    restore(input) {
      calls.push('restore');
      for (const line of input.split('\n')) {
        const decl = /^:(\S+) /.exec(line);
        if (decl) chains.set(decl[1], []);
        const add = /^-A (\S+) (.*)$/.exec(line);
        if (add) chains.get(add[1])!.push(add[2]);
      }
      return ok;
    },
    run(args) {
      calls.push(args.join(' '));
      const [op, chain] = args;
      const rule = args.slice(2).join(' ');
      const rules = chains.get(chain);
      switch (op) {
        case '-C':
          if (!rules) return { code: 2, stderr: `Chain '${chain}' does not exist` };
          return rules.includes(rule) ? ok : { code: 1, stderr: 'Bad rule' };
        case '-I':
          rules!.splice(Number(args[2]) - 1, 0, args.slice(3).join(' '));
          return ok;
        case '-D': {
          const i = rules?.indexOf(rule) ?? -1;
          if (i === -1) return { code: 1, stderr: 'Bad rule' };
          rules!.splice(i, 1);
          return ok;
        }
        case '-n':
          return chains.has(args[2]) ? ok : noChain;
        case '-F':
          if (!rules) return noChain;
          rules.length = 0;
          return ok;
        case '-X': {
          if (!rules) return noChain;
          const referenced = [...chains.values()].some((rs) => rs.some((r) => r.endsWith(`-j ${chain}`)));
          if (rules.length || referenced) return { code: 1, stderr: 'iptables: Directory not empty.' };
          chains.delete(chain);
          return ok;
        }
        default:
          throw new Error(`unexpected iptables ${args.join(' ')}`);
      }
    },
  };
  return { ipt, chains, calls };
}

test('renderLocalnetFirewall is kube-proxy\'s "block incoming localnet connections" rule in its own chain', () => {
  assert.equal(
    renderLocalnetFirewall(),
    [
      '*filter',
      ':BERTH-FIREWALL - [0:0]',
      '-A BERTH-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
      'COMMIT',
      '',
    ].join('\n'),
  );
});

test('installLocalnetFirewall puts the jumps first in INPUT and OUTPUT, once, when run twice', () => {
  const { ipt, chains } = fakeIptables({ INPUT: ['-i lo -j ACCEPT'] });
  installLocalnetFirewall(ipt);
  installLocalnetFirewall(ipt);
  assert.deepEqual(chains.get('INPUT'), ['-j BERTH-FIREWALL', '-i lo -j ACCEPT']);
  assert.deepEqual(chains.get('OUTPUT'), ['-j BERTH-FIREWALL']);
  assert.equal(chains.get('BERTH-FIREWALL')!.length, 1);
  assert.match(chains.get('BERTH-FIREWALL')![0], /-d 127\.0\.0\.0\/8 ! -s 127\.0\.0\.0\/8 .*! --ctstate RELATED,ESTABLISHED,DNAT -j DROP$/);
});

test('installLocalnetFirewall rewrites a chain someone edited', () => {
  const { ipt, chains } = fakeIptables({ 'BERTH-FIREWALL': ['-j ACCEPT'] });
  installLocalnetFirewall(ipt);
  assert.equal(chains.get('BERTH-FIREWALL')!.length, 1);
  assert.match(chains.get('BERTH-FIREWALL')![0], /-j DROP$/);
});

test('installLocalnetFirewall throws with iptables-restore\'s message when the write fails', () => {
  const { ipt } = fakeIptables();
  ipt.restore = () => ({ code: 2, stderr: "iptables-restore v1.8.9 (nf_tables): Couldn't load match `conntrack'" });
  assert.throws(() => installLocalnetFirewall(ipt), (err: Error) => {
    assert.ok(err instanceof LocalnetFirewallError);
    assert.equal(err.message, "install the localnet firewall: iptables-restore failed: iptables-restore v1.8.9 (nf_tables): Couldn't load match `conntrack'");
    return true;
  });
});

test('removeLocalnetFirewall deletes every jump copy and the chain, and leaves other rules', () => {
  const { ipt, chains } = fakeIptables({ INPUT: ['-i lo -j ACCEPT'] });
  installLocalnetFirewall(ipt);
  // Two nodes that started at once may both have inserted a jump.
  chains.get('INPUT')!.unshift('-j BERTH-FIREWALL');
  removeLocalnetFirewall(ipt);
  assert.deepEqual(chains.get('INPUT'), ['-i lo -j ACCEPT']);
  assert.deepEqual(chains.get('OUTPUT'), []);
  assert.equal(chains.has('BERTH-FIREWALL'), false);
});

test('removeLocalnetFirewall does nothing when nothing is installed', () => {
  const { ipt, calls } = fakeIptables();
  removeLocalnetFirewall(ipt);
  assert.deepEqual(calls, ['-n -L BERTH-FIREWALL']);
});

test('removeLocalnetFirewall throws when the chain is still referenced by a rule berth did not write', () => {
  const { ipt, chains } = fakeIptables();
  installLocalnetFirewall(ipt);
  chains.get('FORWARD')!.push('-j BERTH-FIREWALL');
  assert.throws(() => removeLocalnetFirewall(ipt), /^LocalnetFirewallError: remove the localnet firewall: iptables could not delete chain "BERTH-FIREWALL": iptables: Directory not empty\.$/);
});
