import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AxiosInstance } from 'axios';
import { DashScopeError } from './errors';
import { connectionError } from './transport';

/** Where a result goes: a file (written to `<file>.part`, fsynced, then renamed) or any stream. */
export type DownloadTarget = { file: string } | { stream: Writable };

export interface DownloadOptions {
  /** Larger results are refused. @default 20 MiB */
  maxBytes?: number;
  /** The whole download, headers to last byte. @default 60000 */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface DownloadResult {
  bytes: number;
  contentType: string | null;
}

const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

const fail = (
  message: string,
  fields: Partial<ConstructorParameters<typeof DashScopeError>[0]> = {},
) =>
  new DashScopeError({
    code: 'api_server_error',
    message,
    retryable: true,
    scope: 'job',
    ...fields,
  });

async function readSome(stream: Readable, limit = 4096): Promise<string> {
  let text = '';
  try {
    for await (const chunk of stream) {
      text += String(chunk);
      if (text.length >= limit) break;
    }
  } catch {
    // The body is only a hint; its absence changes nothing.
  } finally {
    stream.destroy();
  }
  return text.slice(0, limit);
}

/**
 * Streams a result URL (a signed OSS address: no Authorization header is sent)
 * to its target. A 403/404/410 from the storage host, typically XML
 * `AccessDenied` / `Request has expired`, is `api_task_expired`.
 */
export async function downloadResult(
  http: AxiosInstance,
  url: string,
  target: DownloadTarget,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw fail('result URL is not a URL', { retryable: false, apiCode: 'InvalidResultUrl' });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw fail('result URL is not http(s)', { retryable: false, apiCode: 'InvalidResultUrl' });
  }

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 60_000);
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timedOut = () => !options.signal?.aborted && controller.signal.aborted;
  try {
    let response;
    try {
      response = await http.get<Readable>(parsed.toString(), {
        responseType: 'stream',
        validateStatus: () => true,
        signal: controller.signal,
        maxRedirects: 3,
        headers: { Accept: 'image/*' },
      });
    } catch (error) {
      if (timedOut())
        throw fail('result download timed out', { code: 'api_timeout', apiCode: 'ETIMEDOUT' });
      throw connectionError(error, false);
    }
    const body = response.data;
    const status = response.status;
    if (status === 403 || status === 404 || status === 410) {
      const text = await readSome(body);
      const ossCode = /<Code>([^<]{1,64})<\/Code>/.exec(text)?.[1] ?? null;
      throw new DashScopeError({
        code: 'api_task_expired',
        message: `result URL answered HTTP ${status}${ossCode ? ` ${ossCode}` : ''}${/expired/i.test(text) ? ' (expired)' : ''}`,
        apiCode: ossCode,
        httpStatus: status,
        retryable: false,
        scope: 'job',
      });
    }
    if (status < 200 || status >= 300) {
      body.destroy();
      throw fail(`result URL answered HTTP ${status}`, {
        httpStatus: status,
        retryable: status >= 500 || status === 429,
      });
    }
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      body.destroy();
      throw fail(`result is larger than ${maxBytes} bytes`, {
        retryable: false,
        apiCode: 'ResultTooLarge',
      });
    }

    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        if (bytes > maxBytes)
          callback(
            fail(`result is larger than ${maxBytes} bytes`, {
              retryable: false,
              apiCode: 'ResultTooLarge',
            }),
          );
        else callback(null, chunk);
      },
    });
    const contentType =
      typeof response.headers['content-type'] === 'string'
        ? response.headers['content-type']
        : null;
    try {
      if ('stream' in target) {
        await pipeline(body, counter, target.stream);
      } else {
        const part = `${target.file}.part`;
        try {
          await pipeline(body, counter, createWriteStream(part));
          // Flushed to the disk before the rename makes it visible: a crash leaves either nothing or the whole file.
          const handle = await open(part, 'r+');
          try {
            await handle.sync();
          } finally {
            await handle.close();
          }
        } catch (error) {
          await rm(part, { force: true });
          throw error;
        }
        await rename(part, target.file);
      }
    } catch (error) {
      if (error instanceof DashScopeError) throw error;
      if (timedOut())
        throw fail('result download timed out', { code: 'api_timeout', apiCode: 'ETIMEDOUT' });
      throw connectionError(error, false);
    }
    return { bytes, contentType };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
