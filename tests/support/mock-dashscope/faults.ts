import type { FaultPlan } from './types';

type Counted<T> = T & { count: number };

/** The faults in force; counted ones are used up one request at a time. */
export class Faults {
  failSubmits: Counted<NonNullable<FaultPlan['failSubmits']>>[] = [];
  failTasks: Counted<NonNullable<FaultPlan['failTasks']>>[] = [];
  dropSubmits: Counted<NonNullable<FaultPlan['dropSubmits']>>[] = [];
  dropQueries = 0;
  failQueries: Counted<NonNullable<FaultPlan['failQueries']>>[] = [];
  malformed: Counted<NonNullable<FaultPlan['malformed']>>[] = [];
  serverErrors: { until: number; status: number; code: string } | null = null;
  resultUrlTtlMs: number | null = null;
  delayMs = 0;
  quotaImages: number | null = null;
  arrears = false;

  apply(plan: FaultPlan, now: number): void {
    if (plan.failSubmits) this.failSubmits.push({ ...plan.failSubmits });
    if (plan.failTasks) this.failTasks.push({ ...plan.failTasks });
    if (plan.dropSubmits) this.dropSubmits.push({ ...plan.dropSubmits });
    if (plan.dropQueries) this.dropQueries += plan.dropQueries.count;
    if (plan.failQueries) this.failQueries.push({ ...plan.failQueries });
    if (plan.malformed) this.malformed.push({ ...plan.malformed });
    if (plan.serverErrors) {
      this.serverErrors = {
        until: now + plan.serverErrors.forMs,
        status: plan.serverErrors.status ?? 500,
        code: plan.serverErrors.code ?? 'InternalError',
      };
    }
    if (plan.resultUrlTtlMs !== undefined) this.resultUrlTtlMs = plan.resultUrlTtlMs;
    if (plan.delayMs !== undefined) this.delayMs = plan.delayMs;
    if (plan.quotaImages !== undefined) this.quotaImages = plan.quotaImages;
    if (plan.arrears !== undefined) this.arrears = plan.arrears;
  }

  clear(): void {
    Object.assign(this, new Faults());
  }

  /** Takes one use of the first fault of a list, if any. */
  static take<T extends { count: number }>(
    list: T[],
    accept: (fault: T) => boolean = () => true,
  ): T | null {
    const fault = list.find(accept);
    if (!fault) return null;
    fault.count -= 1;
    if (fault.count <= 0) list.splice(list.indexOf(fault), 1);
    return fault;
  }

  takeMalformed(route: 'submit' | 'query'): boolean {
    return (
      Faults.take(
        this.malformed,
        (fault) => (fault.route ?? 'any') === 'any' || fault.route === route,
      ) !== null
    );
  }

  serverErrorAt(now: number): { status: number; code: string } | null {
    if (this.serverErrors && now < this.serverErrors.until) return this.serverErrors;
    return null;
  }
}
