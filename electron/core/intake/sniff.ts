import type { PhotoFormat } from '../../../shared/photos';

/**
 * What a file's first bytes say it is. `unsupported` names image formats we
 * recognise but do not read (so the reason can say so instead of "not an image").
 */
export type Sniffed =
  | { kind: 'image'; format: PhotoFormat }
  | { kind: 'unsupported'; format: string }
  | { kind: 'unknown' };

const HEIC_BRANDS = new Set([
  'heic',
  'heix',
  'hevc',
  'hevx',
  'heim',
  'heis',
  'hevm',
  'hevs',
  'mif1',
  'msf1',
  'mif2',
]);
const AVIF_BRANDS = new Set(['avif', 'avis']);

const startsWith = (head: Buffer, bytes: readonly number[], offset = 0): boolean =>
  head.length >= offset + bytes.length && bytes.every((b, i) => head[offset + i] === b);
const ascii = (head: Buffer, start: number, end: number): string =>
  head.toString('latin1', start, end);

/** Sniffs the magic numbers of the formats intake handles (needs the first ~64 bytes). */
export function sniff(head: Buffer): Sniffed {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { kind: 'image', format: 'jpeg' };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { kind: 'image', format: 'png' };
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP')
    return { kind: 'image', format: 'webp' };
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a')
    return { kind: 'image', format: 'gif' };
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) {
    return { kind: 'image', format: 'tiff' };
  }
  if (startsWith(head, [0x49, 0x49, 0x2b, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2b])) {
    return { kind: 'unsupported', format: 'bigtiff' };
  }
  if (ascii(head, 0, 2) === 'BM' && head.length >= 18) {
    const dibSize = head.readUInt32LE(14);
    if ([12, 40, 52, 56, 64, 108, 124].includes(dibSize)) return { kind: 'image', format: 'bmp' };
  }
  if (ascii(head, 4, 8) === 'ftyp') {
    const boxSize = Math.min(head.readUInt32BE(0), head.length);
    const brands = [ascii(head, 8, 12)];
    for (let at = 16; at + 4 <= boxSize; at += 4) brands.push(ascii(head, at, at + 4));
    if (brands.some((b) => AVIF_BRANDS.has(b))) return { kind: 'image', format: 'avif' };
    if (brands.some((b) => HEIC_BRANDS.has(b))) return { kind: 'image', format: 'heic' };
    if (brands.some((b) => b === 'crx ')) return { kind: 'unsupported', format: 'cr3' };
    if (brands.some((b) => b === 'jxl ')) return { kind: 'unsupported', format: 'jxl' };
    if (brands.some((b) => b === 'jp2 ')) return { kind: 'unsupported', format: 'jp2' };
    return { kind: 'unknown' };
  }
  if (ascii(head, 0, 4) === '8BPS') return { kind: 'unsupported', format: 'psd' };
  if (
    startsWith(head, [0xff, 0x0a]) ||
    startsWith(head, [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20])
  ) {
    return { kind: 'unsupported', format: 'jxl' };
  }
  if (startsWith(head, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20]))
    return { kind: 'unsupported', format: 'jp2' };
  if (startsWith(head, [0x00, 0x00, 0x01, 0x00])) return { kind: 'unsupported', format: 'ico' };
  if (/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/i.test(ascii(head, 0, head.length))) {
    return { kind: 'unsupported', format: 'svg' };
  }
  return { kind: 'unknown' };
}
