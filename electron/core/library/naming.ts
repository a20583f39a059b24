import { join, parse, relative, resolve, sep } from 'node:path';
import { isInside } from '../fs/is-inside';

/** Characters Windows refuses in a file name, plus control characters. */
// eslint-disable-next-line no-control-regex
const REFUSED = /[<>:"/\\|?*\u0000-\u001f\u007f]/g;
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
/**
 * In UTF-8 bytes (file systems count bytes: a Chinese character is 3): leaves
 * room under the usual 255-byte limit for the slug, variant, clash counter,
 * sidecar suffix and temp-file affixes.
 */
const MAX_COMPONENT_BYTES = 150;

/** Cuts `text` to at most `max` UTF-8 bytes, never inside a character. */
export function truncateBytes(text: string, max: number): string {
  let out = '';
  let bytes = 0;
  for (const char of text) {
    bytes += Buffer.byteLength(char);
    if (bytes > max) break;
    out += char;
  }
  return out;
}

/**
 * One path component that is safe on every desktop OS: refused characters
 * become `_`, trailing dots and spaces go (Windows drops them silently),
 * reserved device names get a `_` prefix. Letters of any script are kept.
 */
export function safeComponent(name: string): string {
  let clean = name.normalize('NFC').replace(REFUSED, '_').trim();
  clean = clean.replace(/[. ]+$/, '');
  if (clean === '' || /^\.+$/.test(clean)) return '';
  if (RESERVED.test(clean)) clean = `_${clean}`;
  return truncateBytes(clean, MAX_COMPONENT_BYTES).replace(/[. ]+$/, '');
}

/**
 * The album folder as safe components: `/` and `\` separate, `.`, `..` and
 * empty parts vanish, so an absolute or climbing folder stays under the root.
 */
export function safeAlbumPath(albumFolder: string): string[] {
  return albumFolder
    .split(/[/\\]+/)
    .filter((part) => part !== '.' && part !== '..')
    .map(safeComponent)
    .filter((part) => part !== '');
}

/** The original's name without its extension, made safe (`image` when nothing is left). */
export function baseName(sourcePath: string): string {
  const name = sourcePath.split(/[/\\]/).pop() ?? '';
  return safeComponent(parse(name).name) || 'image';
}

export interface ResultNameParts {
  base: string;
  slug: string;
  /** 1-based; omitted when the recipe makes one image. */
  variant?: number;
  ext: string;
}

/** `name.ext` as ` (k)` makes it free: `attempt` 1 is the name itself, 2 gives `name (2).ext`. */
export function withCounter(fileName: string, attempt: number): string {
  if (attempt <= 1) return fileName;
  const dot = fileName.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [fileName.slice(0, dot), fileName.slice(dot)] : [fileName, ''];
  return `${stem} (${attempt})${ext}`;
}

/** `<base>.<slug>[.<n>][ (k)].<ext>`; `attempt` 1 has no counter, 2 gives ` (2)`. */
export function resultFileName(parts: ResultNameParts, attempt = 1): string {
  const variant = parts.variant === undefined ? '' : `.${parts.variant}`;
  const slug = safeComponent(parts.slug) || 'style';
  return withCounter(`${parts.base}.${slug}${variant}.${parts.ext}`, attempt);
}

/** The folder a result goes to, checked to be inside the root. */
export function resultFolder(root: string, albumFolder: string): string {
  const folder = resolve(join(root, ...safeAlbumPath(albumFolder)));
  if (!isInside(root, folder)) throw new Error(`album folder escapes the library: ${albumFolder}`);
  return folder;
}

/** Path relative to the root with `/` separators (how the index stores it). */
export function toRelative(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

export function fromRelative(root: string, rel: string): string {
  return join(root, ...rel.split('/'));
}
