/**
 * The one iptables-restore transaction per sync, and the one for removal,
 * built from the rendered rules and what `iptables-save` shows now. Pure.
 *
 * A sync (`iptables-restore --noflush`, so nobody else's rules are touched):
 *  - declares berth's chains, which flushes them, and appends their rules: a
 *    full rewrite, applied atomically or not at all;
 *  - flushes and deletes per-port chains (SVC/SVL/EXT/SEP) that exist but are
 *    no longer rendered (a Service or endpoint went away);
 *  - inserts, at the top of the built-in chain, every jump into berth's
 *    chains that is missing (first sync, or someone flushed the built-in
 *    chain). kube-proxy does this with separate `iptables -C/-I` calls
 *    (EnsureRule, Prepend); here it is part of the same transaction.
 *
 * Removal (`berth down`): deletes every rule in a chain not berth's that
 * jumps into a chain of berth's proxy (the jumps above, and any copy), then
 * flushes and deletes each such chain — kube-proxy's CleanupLeftovers.
 */
import { Chains, isProxyChain, isServiceChain } from './chain-names.ts';
import type { RenderedRules, TableRules } from './render-rules.ts';

export type Table = 'filter' | 'nat';

export interface Jump {
  table: Table;
  /** The built-in chain the jump sits in. */
  from: string;
  to: string;
  /** Match arguments before `-j`, as iptables-save prints them. */
  args: string;
}

/**
 * kube-proxy's iptablesJumpChains (less the health-check and load-balancer
 * firewall chains berth does not have). Order: kube-proxy's list; each is
 * inserted at position 1, so the last one ends up first.
 */
export const JUMPS: readonly Jump[] = [
  { table: 'filter', from: 'INPUT', to: Chains.externalServices, args: '-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals"' },
  { table: 'filter', from: 'FORWARD', to: Chains.externalServices, args: '-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals"' },
  { table: 'filter', from: 'FORWARD', to: Chains.services, args: '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals"' },
  { table: 'filter', from: 'OUTPUT', to: Chains.services, args: '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals"' },
  { table: 'filter', from: 'FORWARD', to: Chains.forward, args: '-m comment --comment "kubernetes forwarding rules"' },
  { table: 'nat', from: 'OUTPUT', to: Chains.services, args: '-m comment --comment "kubernetes service portals"' },
  { table: 'nat', from: 'PREROUTING', to: Chains.services, args: '-m comment --comment "kubernetes service portals"' },
  { table: 'nat', from: 'POSTROUTING', to: Chains.postrouting, args: '-m comment --comment "kubernetes postrouting rules"' },
];

export interface SavedRule {
  chain: string;
  /** The rule as iptables-save printed it, from `-A`. */
  line: string;
  /** The `-j` target, or "" for a rule without one. */
  target: string;
}

export interface SavedTable {
  chains: Set<string>;
  rules: SavedRule[];
}

/** iptables-save output by table (tables it did not print are absent). */
export function parseIptablesSave(text: string): Map<string, SavedTable> {
  const tables = new Map<string, SavedTable>();
  let current: SavedTable | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) {
      current = { chains: new Set(), rules: [] };
      tables.set(line.slice(1).trim(), current);
    } else if (!current || line === 'COMMIT' || line.startsWith('#')) {
      continue;
    } else if (line.startsWith(':')) {
      current.chains.add(line.slice(1).split(' ')[0]);
    } else if (line.startsWith('-A ')) {
      const words = splitWords(line);
      const j = words.lastIndexOf('-j');
      current.rules.push({ chain: words[1], line, target: j >= 0 ? (words[j + 1] ?? '') : '' });
    }
  }
  return tables;
}

/** Splits a rule as iptables-restore does: on spaces, except inside double quotes. */
function splitWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quoted = false;
  let inWord = false;
  for (const ch of line) {
    if (ch === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (ch === ' ' && !quoted) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function hasJump(saved: SavedTable | undefined, jump: Jump): boolean {
  return saved?.rules.some((r) => r.chain === jump.from && r.target === jump.to) ?? false;
}

/** The sync transaction: `rendered`, stale per-port chains deleted, missing jumps inserted. */
export function buildSyncInput(rendered: RenderedRules, saved: Map<string, SavedTable>): string {
  const section = (table: Table, t: TableRules) => {
    const declared = new Set(t.chains);
    const stale = [...(saved.get(table)?.chains ?? [])].filter((c) => isServiceChain(c) && !declared.has(c)).sort();
    const missing = JUMPS.filter((j) => j.table === table && !hasJump(saved.get(table), j));
    return [
      `*${table}`,
      ...t.chains.map((c) => `:${c} - [0:0]`),
      ...stale.map((c) => `:${c} - [0:0]`),
      ...t.rules,
      ...stale.map((c) => `-X ${c}`),
      ...missing.map((j) => `-I ${j.from} 1 ${j.args} -j ${j.to}`),
      'COMMIT',
    ];
  };
  return [...section('filter', rendered.filter), ...section('nat', rendered.nat), ''].join('\n');
}

/** The removal transaction, or undefined when nothing of berth's proxy is left. */
export function buildRemoveInput(saved: Map<string, SavedTable>): string | undefined {
  const lines: string[] = [];
  for (const table of ['filter', 'nat'] as const) {
    const t = saved.get(table);
    if (!t) continue;
    const ours = [...t.chains].filter(isProxyChain).sort();
    const jumps = t.rules.filter((r) => !isProxyChain(r.chain) && isProxyChain(r.target));
    if (ours.length === 0 && jumps.length === 0) continue;
    lines.push(
      `*${table}`,
      ...jumps.map((r) => `-D${r.line.slice(2)}`),
      ...ours.map((c) => `:${c} - [0:0]`),
      ...ours.map((c) => `-X ${c}`),
      'COMMIT',
    );
  }
  return lines.length > 0 ? [...lines, ''].join('\n') : undefined;
}
