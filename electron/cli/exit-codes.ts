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
  /**
   * A problem on this computer stopped the work: the disk is full, a folder is
   * read-only or gone, the queue file could not be opened or recovered. Nothing
   * already done is lost; fix the named file or folder and run `restyle resume`.
   * Also: another Restyle (the window or another `restyle`) uses this data
   * folder, so `run` or `resume` wrote nothing; or it took the folder over
   * while this process was stopped (Ctrl-Z) past the lock's stale limit, and
   * carries the queue on.
   */
  local: 4,
} as const;
