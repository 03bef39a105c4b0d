/**
 * slowStartBatch (upstream's replica_set.go): calls `fn` `count` times in
 * batches of 1, 2, 4, … (doubling after each batch without error, capped at
 * what remains). A batch with an error is still finished, as upstream runs a
 * batch's calls concurrently, but no further batch starts; so a quota that
 * refuses every create costs one request, not five hundred.
 *
 * Returns the calls that succeeded and the batch's first error.
 */
export const slowStartInitialBatchSize = 1;

export function slowStartBatch(count: number, initialBatchSize: number, fn: () => void): { successes: number; error: Error | undefined } {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    let first: Error | undefined;
    for (let i = 0; i < batch; i++) {
      try {
        fn();
        successes++;
      } catch (err) {
        first ??= err instanceof Error ? err : new Error(String(err));
      }
    }
    if (first) return { successes, error: first };
    remaining -= batch;
  }
  return { successes, error: undefined };
}
