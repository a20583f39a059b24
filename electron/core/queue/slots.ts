/**
 * How many tasks of a model may be in flight: the account's slots (settings),
 * plus one waiting task (PENDING at the service behind the running ones) so the
 * slot never idles between tasks, unless the endpoint refused that one before.
 *
 * A refusal is a 429 throttling answer other than the rate limit
 * (`Throttling.AllocationQuota`, plain `Throttling`…) that arrives while tasks of
 * the model are in flight here: the service does not queue more. It is not
 * "quota used up" and pauses nothing: the endpoint's limit for the model is
 * remembered (the queue's meta, so every later run knows it) as the number in
 * flight when it refused, and the job goes back in line, its upload kept.
 * The same answer with nothing in flight is the account's, and pauses the queue.
 */
import { DashScopeError } from '../dashscope';
import type { Ctx, Lane } from './engine-context';

const metaKey = (lane: Lane, endpoint: string) => `slot-limit:${lane.model}@${endpoint}`;

/** The most tasks of this lane's model this endpoint accepted at once; null: it never refused. */
function learnedLimit(ctx: Ctx, lane: Lane, endpoint: string): number | null {
  if (!lane.learned.has(endpoint)) {
    const text = ctx.store.getMeta(metaKey(lane, endpoint));
    const value = text === null ? NaN : Number(text);
    lane.learned.set(endpoint, Number.isInteger(value) && value >= 1 ? value : null);
  }
  return lane.learned.get(endpoint) ?? null;
}

/** Tasks of the lane's model that may be in flight now: its slots, and one waiting. */
export function inFlightLimit(ctx: Ctx, lane: Lane, slots: number): number {
  const pipelined = ctx.opts.pipeline ? slots + 1 : slots;
  const learned = learnedLimit(ctx, lane, ctx.deps.client.endpoint());
  return learned === null ? pipelined : Math.max(1, Math.min(pipelined, learned));
}

/** Whether a submit's error is the service refusing one more task in flight (see above). */
export function isSlotRefusal(error: unknown, inFlight: number): boolean {
  return (
    inFlight > 0 &&
    error instanceof DashScopeError &&
    error.httpStatus === 429 &&
    (error.apiCode ?? '').startsWith('Throttling') &&
    error.apiCode !== 'Throttling.RateQuota'
  );
}

/** Remembers, for the endpoint, that it takes no more than `inFlight` tasks of the model. */
export function learnRefusal(ctx: Ctx, lane: Lane, inFlight: number): void {
  const endpoint = ctx.deps.client.endpoint();
  lane.learned.set(endpoint, inFlight);
  ctx.log.info('queue: the service refused a waiting task; one task per slot from now on', {
    model: lane.model,
    endpoint,
    inFlight,
  });
  try {
    ctx.store.setMeta(metaKey(lane, endpoint), String(inFlight));
  } catch (error) {
    // A full disk: remembered for this run only.
    ctx.log.warn('queue: slot limit not recorded', { error: String(error) });
  }
}
