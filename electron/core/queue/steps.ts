/**
 * Work done in steps (a generator that yields between chunks), run either at
 * once or with the event loop running between steps, so no step holds the
 * process long (a batch created, planned or moved in chunks).
 */

/** Runs the steps to their end at once. */
export function drain<T>(steps: Generator<void, T>): T {
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/** Runs the steps to their end, letting the event loop run (a macrotask) between them. */
export async function drainYielding<T>(steps: Generator<void, T>): Promise<T> {
  let step = steps.next();
  while (!step.done) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    step = steps.next();
  }
  return step.value;
}
