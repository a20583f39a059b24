/** The CLI's exit codes, for scripts. */
export const EXIT = {
  /** Every job ended done or skipped. */
  ok: 0,
  /** Some jobs (or files) failed. */
  failed: 1,
  /** The command line was wrong. */
  usage: 2,
  /** An account-level error (bad key, arrears, quota) paused the queue. */
  accountPaused: 3,
} as const;
