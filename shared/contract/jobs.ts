// Job engine channels (issue: the job engine).
export const jobsInvoke = {};
export const jobsEvents = {};
