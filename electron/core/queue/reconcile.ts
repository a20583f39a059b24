import type { ListedTask } from '../dashscope';

/** How an unanswered submit is settled against the task list. */
export type Reconciliation =
  | { kind: 'adopt'; task: ListedTask }
  | { kind: 'resubmit' }
  | { kind: 'ambiguous'; candidates: string[] };

export interface ReconcileWindow {
  /** Tolerated clock difference between this machine and the service (and the list's whole seconds). @default 5000 */
  skewMs?: number;
  /** How long after the intent a task may have been created (the submit's timeout and then some). @default 40000 */
  windowMs?: number;
}

export const reconcileBounds = (intentAt: number, window: ReconcileWindow = {}) => ({
  from: intentAt - (window.skewMs ?? 5000),
  to: intentAt + (window.windowMs ?? 40_000),
});

/**
 * The intent of one job (its model and the time it was committed) against the
 * listed tasks: the same model, created within [intent − skew, intent + window],
 * not claimed by any job. Exactly one → adopt; none → resubmit; more → ask the user.
 * Pure: the caller lists the tasks and guarantees no other submit of this model
 * was unanswered at the same time.
 */
export function reconcileIntent(
  intent: { intentAt: number; model: string },
  tasks: readonly ListedTask[],
  claimed: ReadonlySet<string>,
  window: ReconcileWindow = {},
): Reconciliation {
  const { from, to } = reconcileBounds(intent.intentAt, window);
  const candidates = tasks.filter((task) => {
    if (claimed.has(task.taskId)) return false;
    if (task.model !== null && task.model !== intent.model) return false;
    const at = task.submitTime?.getTime();
    // A task with no time cannot be placed: it counts as a candidate rather than be ignored.
    return at === undefined || (at >= from && at <= to);
  });
  if (candidates.length === 0) return { kind: 'resubmit' };
  if (candidates.length === 1) return { kind: 'adopt', task: candidates[0] as ListedTask };
  return { kind: 'ambiguous', candidates: candidates.map((task) => task.taskId) };
}
