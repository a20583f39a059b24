import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { sendJson } from './context';
import type { MockDashScope } from './server';
import { configPatchSchema, faultPlanSchema } from './types';

const downSchema = z
  .object({
    mode: z.enum(['reset', 'refuse']).optional(),
    forMs: z.number().int().min(0).optional(),
  })
  .strict();

/**
 * `/__admin/*`: drives the mock from other processes and browsers. No key, and
 * never subject to faults or downtime (except `refuse`, which closes the port).
 */
export async function handleAdmin(
  mock: MockDashScope,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  url: URL,
  raw: Buffer,
): Promise<void> {
  let body: unknown = {};
  if (raw.length > 0) {
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return sendJson(res, 400, { error: 'body is not JSON' });
    }
  }
  const parse = <S extends z.ZodType>(schema: S): z.infer<S> | null => {
    const result = schema.safeParse(body);
    if (!result.success) {
      sendJson(res, 400, { error: z.prettifyError(result.error) });
      return null;
    }
    return result.data;
  };
  const route = `${req.method} ${path}`;
  switch (route) {
    case 'GET /__admin/health':
      return sendJson(res, 200, { ok: true, url: mock.url, baseUrl: mock.baseUrl });
    case 'GET /__admin/stats':
      return sendJson(res, 200, mock.stats({ records: url.searchParams.get('records') !== '0' }));
    case 'GET /__admin/tasks':
      return sendJson(res, 200, mock.tasks());
    case 'POST /__admin/faults': {
      const plan = parse(faultPlanSchema);
      if (plan) {
        mock.inject(plan);
        sendJson(res, 200, { ok: true });
      }
      return;
    }
    case 'POST /__admin/faults/clear':
      mock.clearFaults();
      return sendJson(res, 200, { ok: true });
    case 'POST /__admin/config': {
      const patch = parse(configPatchSchema);
      if (patch) {
        mock.configure(patch);
        sendJson(res, 200, { ok: true });
      }
      return;
    }
    case 'POST /__admin/down': {
      const options = parse(downSchema);
      if (options) {
        // Answer first: `refuse` closes the port this answer travels on.
        sendJson(res, 200, { ok: true });
        await mock.down(options);
      }
      return;
    }
    case 'POST /__admin/up':
      await mock.up();
      return sendJson(res, 200, { ok: true });
    case 'POST /__admin/reset':
      mock.reset();
      return sendJson(res, 200, { ok: true });
    default:
      return sendJson(res, 404, { error: `no admin route ${route}` });
  }
}
