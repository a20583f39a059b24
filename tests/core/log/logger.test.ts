import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, redact } from '../../../electron/core/log/logger';
import { useTempDir } from '../../support/temp-dir';

const KEY = 'sk-9d8c7b6a5f4e3d2c1b0a99887766';
const PHOTO = `data:image/jpeg;base64,${Buffer.alloc(3000, 7).toString('base64')}`;

describe('the log file', () => {
  let tmp: ReturnType<typeof useTempDir>;
  beforeEach(() => (tmp = useTempDir()));
  afterEach(() => tmp.cleanup());

  it('never contains the key, a bearer token or photo contents', async () => {
    const log = createLogger({ dir: tmp.path, level: 'debug' });
    const secret = 'custom-secret-without-prefix-123';
    log.addSecret(secret);
    log.info('submit', { headers: { Authorization: `Bearer ${KEY}` }, body: { image_url: PHOTO } });
    log.warn(`key ${KEY} refused`, { raw: Buffer.alloc(2000, 1).toString('base64') });
    log.error('failed', { error: new Error(`token ${secret} rejected`) });
    await log.close();

    const text = readdirSync(tmp.path)
      .map((name) => readFileSync(join(tmp.path, name), 'utf8'))
      .join('\n');
    expect(text.trim().split('\n')).toHaveLength(3);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(KEY.slice(3));
    expect(text).not.toContain(secret);
    expect(text).not.toContain(PHOTO.slice(30, 90));
    expect(text).toContain('data:image/jpeg;base64,[image]');
    expect(JSON.parse(text.split('\n')[2]!)).toMatchObject({ level: 'error', message: 'failed' });
  });

  it('drops lines below its level', async () => {
    const log = createLogger({ dir: tmp.path, level: 'warn' });
    log.info('not written');
    log.warn('written');
    await log.close();
    const text = readFileSync(join(tmp.path, 'restyle.log'), 'utf8');
    expect(text).toContain('written');
    expect(text).not.toContain('not written');
  });

  it('redacts text on its own', () => {
    expect(redact(`x ${KEY} y`)).toBe('x sk-[redacted] y');
    expect(redact('Bearer abc.def')).toBe('Bearer [redacted]');
  });
});
