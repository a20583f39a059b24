/**
 * Maps an async stream with at most `limit` calls in flight, yielding results
 * as they finish (not in input order), pulling input only as slots free up,
 * so 20,000 files are never all in flight and the first results come early.
 */
export async function* mapConcurrent<T, R>(
  input: AsyncIterable<T>,
  limit: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const iterator = input[Symbol.asyncIterator]();
  const running = new Map<number, Promise<{ key: number; result: R }>>();
  let nextKey = 0;
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && running.size < limit) {
        const step = await iterator.next();
        if (step.done) {
          exhausted = true;
          break;
        }
        const key = nextKey++;
        running.set(
          key,
          fn(step.value).then((result) => ({ key, result })),
        );
      }
      if (running.size === 0) return;
      const { key, result } = await Promise.race(running.values());
      running.delete(key);
      yield result;
    }
  } finally {
    if (!exhausted) await iterator.return?.();
  }
}
