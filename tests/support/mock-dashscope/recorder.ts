import { maxInAnyWindow } from './sliding-window';
import type { TaskStore } from './task-store';
import type { DownloadRecord, MockStats, QueryRecord, SubmitRecord } from './types';

/** Everything the mock saw, for assertions and benchmarks. */
export class Recorder {
  submits: SubmitRecord[] = [];
  queries: QueryRecord[] = [];
  downloads: DownloadRecord[] = [];
  /** Submits refused because the model's slots were taken (a count: records are capped). */
  refusedSubmits = 0;

  constructor(private readonly maxRecords: () => number) {}

  private push<T>(list: T[], record: T): void {
    list.push(record);
    if (list.length > this.maxRecords()) list.splice(0, list.length - this.maxRecords());
  }

  submit(record: SubmitRecord): SubmitRecord {
    this.push(this.submits, record);
    return record;
  }

  query(record: QueryRecord): QueryRecord {
    this.push(this.queries, record);
    return record;
  }

  download(record: DownloadRecord): void {
    this.push(this.downloads, record);
  }

  clear(): void {
    this.submits = [];
    this.queries = [];
    this.downloads = [];
    this.refusedSubmits = 0;
  }

  stats(store: TaskStore, withRecords = true): MockStats {
    const submitTimes = this.submits.map((record) => record.at).sort((a, b) => a - b);
    const accepted = this.submits
      .filter((record) => record.taskId !== null)
      .map((record) => record.at)
      .sort((a, b) => a - b);
    const queryTimes = this.queries.map((record) => record.at).sort((a, b) => a - b);
    const span =
      queryTimes.length > 1
        ? ((queryTimes.at(-1) as number) - (queryTimes[0] as number)) / 1000
        : 0;
    return {
      totals: {
        submits: this.submits.length,
        acceptedSubmits: accepted.length,
        queries: this.queries.length,
        downloads: this.downloads.length,
        paidImages: store.paidImages,
      },
      maxSubmitsInAnySecond: maxInAnyWindow(submitTimes),
      maxAcceptedSubmitsInAnySecond: maxInAnyWindow(accepted),
      maxQueriesInAnySecond: maxInAnyWindow(queryTimes),
      maxInFlight: store.maxInFlight,
      maxInFlightByModel: { ...store.maxInFlightByModel },
      maxRunningByModel: { ...store.maxRunningByModel },
      pollsPerSecond: span > 0 ? queryTimes.length / span : queryTimes.length,
      slotUtilisation: store.slotUtilisation(),
      refusedSubmits: this.refusedSubmits,
      duplicatePaidImages: [...store.paidByHash]
        .filter(([, count]) => count > 1)
        .map(([hash]) => hash),
      submits: withRecords ? [...this.submits] : [],
      queries: withRecords ? [...this.queries] : [],
      downloads: withRecords ? [...this.downloads] : [],
    };
  }
}
