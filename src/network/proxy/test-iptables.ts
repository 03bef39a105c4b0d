/**
 * Test double: the filter and nat tables in memory, for the commands the
 * proxy issues. `restore` applies a --noflush transaction all or nothing
 * (declared chains are flushed, `-A`, `-I CHAIN 1`, `-D`, `-X`); `save`
 * prints a table as iptables-save does. `failNext` makes the next restore
 * fail, as iptables would on a bad rule.
 */
import { ProxyError, ProxyErrorCode } from './proxy-error.ts';
import type { IptablesRunner } from './iptables-runner.ts';
import type { Table } from './restore-transaction.ts';

type Tables = Record<Table, Map<string, string[]>>;

const BUILTIN: Record<Table, string[]> = { filter: ['INPUT', 'FORWARD', 'OUTPUT'], nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'] };

export class TestIptables implements IptablesRunner {
  tables: Tables = {
    filter: new Map(BUILTIN.filter.map((c) => [c, []])),
    nat: new Map(BUILTIN.nat.map((c) => [c, []])),
  };
  restores: string[] = [];
  failNext = 0;

  async save(table: Table): Promise<string> {
    const t = this.tables[table];
    const lines = [`*${table}`];
    for (const c of t.keys()) lines.push(`:${c} ${BUILTIN[table].includes(c) ? 'ACCEPT' : '-'} [0:0]`);
    for (const [c, rules] of t) for (const r of rules) lines.push(`-A ${c} ${r}`);
    lines.push('COMMIT', '');
    return lines.join('\n');
  }

  async restore(input: string): Promise<void> {
    this.restores.push(input);
    if (this.failNext > 0) {
      this.failNext--;
      throw new ProxyError(ProxyErrorCode.IptablesFailed, 'write service rules: iptables-restore failed: iptables-restore: line 3 failed');
    }
    const next: Tables = { filter: new Map([...this.tables.filter].map(([c, r]) => [c, [...r]])), nat: new Map([...this.tables.nat].map(([c, r]) => [c, [...r]])) };
    let t: Map<string, string[]> | undefined;
    const chain = (name: string) => {
      const rules = t?.get(name);
      if (!rules) throw new Error(`restore: no chain "${name}"`);
      return rules;
    };
    for (const line of input.split('\n')) {
      let m: RegExpExecArray | null;
      if (line.startsWith('*')) t = next[line.slice(1) as Table];
      else if ((m = /^:(\S+) /.exec(line))) t!.set(m[1], []);
      else if ((m = /^-A (\S+) (.*)$/.exec(line))) chain(m[1]).push(m[2]);
      else if ((m = /^-I (\S+) 1 (.*)$/.exec(line))) chain(m[1]).unshift(m[2]);
      else if ((m = /^-D (\S+) (.*)$/.exec(line))) {
        const rules = chain(m[1]);
        const i = rules.indexOf(m[2]);
        if (i < 0) throw new Error(`restore: no rule "${m[2]}" in "${m[1]}"`);
        rules.splice(i, 1);
      } else if ((m = /^-X (\S+)$/.exec(line))) {
        const name = m[1];
        for (const rules of t!.values()) if (rules.some((r) => r.endsWith(`-j ${name}`))) throw new Error(`restore: chain "${name}" in use`);
        t!.delete(name);
      }
    }
    this.tables = next;
  }

  /** Chains of `table` whose names start with BERTH-. */
  berthChains(table: Table): string[] {
    return [...this.tables[table].keys()].filter((c) => c.startsWith('BERTH-'));
  }
}
