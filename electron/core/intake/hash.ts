import { createHash } from 'node:crypto';
import { openRegularFile } from '../fs/regular-file';

/**
 * SHA-256 of a regular file's bytes, hex, streamed (big scans never sit in
 * memory). A FIFO or device is refused (NotARegularFileError), never read.
 */
export async function hashFile(path: string): Promise<string> {
  const handle = await openRegularFile(path);
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    handle
      .createReadStream({ highWaterMark: 1 << 20 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export const isContentHash = (value: unknown): value is string =>
  typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
