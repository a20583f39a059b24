/**
 * Runs the mock on its own: `node --import tsx tests/support/mock-dashscope/cli.ts --port 0 --task-ms 2000`
 * (options in README.md).
 * Prints one JSON line `{"url","baseUrl","apiKey","port"}` on stdout, then serves until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { createMockDashScope } from './server';
import { THROTTLE_CODES } from './types';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'task-ms': { type: 'string' },
    'pending-ms': { type: 'string' },
    'over-concurrency': { type: 'string' },
    'reject-code': { type: 'string' },
    'latency-ms': { type: 'string' },
    key: { type: 'string', multiple: true },
    'no-validate-images': { type: 'boolean', default: false },
  },
});

const number = (value: string | undefined): number | undefined =>
  value === undefined ? undefined : Number(value);
const over = values['over-concurrency'];
const rejectCode = THROTTLE_CODES.find((code) => code === values['reject-code']);

const mock = await createMockDashScope({
  port: Number(values.port),
  ...(values.key ? { apiKeys: values.key } : {}),
  ...(values['task-ms'] !== undefined ? { taskMs: number(values['task-ms']) } : {}),
  ...(values['pending-ms'] !== undefined ? { pendingMs: number(values['pending-ms']) } : {}),
  ...(values['latency-ms'] !== undefined ? { latencyMs: number(values['latency-ms']) } : {}),
  ...(over === 'queue' || over === 'reject' ? { overConcurrency: over } : {}),
  ...(rejectCode ? { rejectCode } : {}),
  ...(values['no-validate-images'] ? { validateImages: false } : {}),
});
process.stdout.write(
  `${JSON.stringify({ url: mock.url, baseUrl: mock.baseUrl, apiKey: mock.apiKey, port: mock.port })}\n`,
);

const stop = () => {
  void mock.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
