/**
 * The order of address records in a successful answer, shuffled per reply
 * so clients that take the first address spread over a headless service's
 * endpoints (coredns plugin/loadbalance, `loadbalance` in kubeadm's
 * Corefile, policy round_robin): CNAMEs first, then other records, then the
 * shuffled A/AAAA, then the shuffled MX; a section of only A or only AAAA
 * records is shuffled in place.
 */
import type { Answer } from 'dns-packet';

/** A uniform integer in [0, 65536), like `dns.Id()`. */
export type RandomId = () => number;

export function randomId(): number {
  return Math.floor(Math.random() * 65536);
}

export function shuffleSection(records: readonly Answer[], random: RandomId = randomId): Answer[] {
  if (records.length <= 1) return [...records];
  const first = records[0]!.type;
  if ((first === 'A' || first === 'AAAA') && records.every((r) => r.type === first)) return shuffle([...records], random);

  const cname: Answer[] = [];
  const address: Answer[] = [];
  const mx: Answer[] = [];
  const rest: Answer[] = [];
  for (const r of records) {
    if (r.type === 'CNAME') cname.push(r);
    else if (r.type === 'A' || r.type === 'AAAA') address.push(r);
    else if (r.type === 'MX') mx.push(r);
    else rest.push(r);
  }
  return [...cname, ...rest, ...shuffle(address, random), ...shuffle(mx, random)];
}

function shuffle(records: Answer[], random: RandomId): Answer[] {
  const l = records.length;
  if (l === 2) {
    if (random() % 2 === 0) [records[0], records[1]] = [records[1]!, records[0]!];
    return records;
  }
  for (let j = 0; j < l; j++) {
    const p = j + (random() % (l - j));
    if (p !== j) [records[j], records[p]] = [records[p]!, records[j]!];
  }
  return records;
}
