/** What each child of bench/intake.bench.ts prints, as one JSON line, when done. */
export interface IntakeReport {
  photos: number;
  sentAsIs: number;
  uploadBytes: number;
  maxRssMb: number;
}

export function report(done: Omit<IntakeReport, 'maxRssMb'>): void {
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ...done, maxRssMb } satisfies IntakeReport)}\n`);
}
