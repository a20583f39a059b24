/** A DashScope look-alike for tests, e2e runs and benchmarks. See README.md. */
export { createMockDashScope } from './server';
export type { MockDashScope, MockDashScopeOptions } from './server';
export type {
  FaultPlan,
  MockConfig,
  MockConfigPatch,
  MockStats,
  MockTask,
  QueryRecord,
  SubmitRecord,
} from './types';
