import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, realpath, rmdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import type { ExportReport } from '../../../shared/contract/library';
import { RestyleError } from '../../../shared/result';
import { isInside } from '../fs/is-inside';
import { openFileInside } from '../fs/regular-file';
import { silentLogger, type Logger } from '../log/logger';
import { isExists, localFailure, nodeFileOps, TEMP_SUFFIX } from './atomic-file';
import { isResultImage } from './library';
import { toRelative, withCounter } from './naming';
import { resultFile } from './result-readers';
import { parseSidecar, SIDECAR_SUFFIX } from './sidecar';
import type { Library, LibraryEntry } from './types';

export type ExportLayout = 'folders' | 'flat' | 'zip';

export interface ExportRequest {
  ids: readonly string[];
  /** `folders`: the album tree under the destination; `flat`: one folder; `zip`: one zip file (the album tree inside). */
  layout: ExportLayout;
  /** Copy each result's `.restyle.json` beside its image. */
  sidecars: boolean;
  /** An existing folder, outside the library. */
  destination: string;
}

export interface ExportDeps {
  log?: Logger;
  /** The zip's name says when it was made (local time). @default () => new Date() */
  now?: () => Date;
}

/** Clash counters tried before giving up (a folder with 10,000 same-named files is a bug). */
const MAX_ATTEMPTS = 10_000;

const pad = (n: number): string => String(n).padStart(2, '0');

/** `Restyle export 2026-11-30 22.31.05.zip`, in local time (no `:`, which Windows refuses). */
export function zipName(at: Date): string {
  const day = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  const time = `${pad(at.getHours())}.${pad(at.getMinutes())}.${pad(at.getSeconds())}`;
  return `Restyle export ${day} ${time}.zip`;
}

const invalidFolder = (path: string, context: 'missing' | 'inside_library', reason: string) =>
  new RestyleError('invalid_folder', `cannot export to ${path}: ${reason}`, {
    path,
    reason,
    context,
  });

const realOrNull = (path: string): Promise<string | null> => realpath(path).catch(() => null);

/**
 * The destination, checked: absolute, an existing folder (links followed),
 * and outside the library (copies there, sidecars and all, would be taken for
 * results; its `.restyle` is the index's). Returns its real path.
 */
async function checkDestination(root: string, destination: string): Promise<string> {
  if (!isAbsolute(destination)) throw invalidFolder(destination, 'missing', 'not an absolute path');
  const info = await stat(destination).catch(() => null);
  if (!info?.isDirectory()) throw invalidFolder(destination, 'missing', 'not a folder');
  const real = (await realOrNull(destination)) ?? resolve(destination);
  const realRoot = await realOrNull(root);
  if (isInside(root, resolve(destination)) || (realRoot !== null && isInside(realRoot, real)))
    throw invalidFolder(destination, 'inside_library', 'inside the library');
  return real;
}

/** A write the destination refused, in the user's words (errors.<code>_export), naming the folder. */
function exportError(error: unknown, destination: string): unknown {
  const code = localFailure(error);
  if (!code) return error;
  return Object.assign(
    new RestyleError(code, `cannot export to ${destination} (${code})`, {
      path: destination,
      context: 'export',
    }),
    { cause: error },
  );
}

/** One result to copy: its image (checked as a result), and its sidecar's path when one goes along. */
interface Item {
  entry: LibraryEntry;
  /** Where it goes, relative to the destination (or inside the zip), `/`-separated. */
  relPath: string;
  sidecar: boolean;
}

/** The result's image opened through the readers' checks (a regular image file inside the library). */
async function openImage(root: string, entry: LibraryEntry): Promise<FileHandle> {
  const handle = await openFileInside(root, entry.path);
  if (handle) {
    const head = Buffer.alloc(64);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (isResultImage(head.subarray(0, bytesRead))) return handle;
    await handle.close();
  }
  throw new RestyleError('file_missing', `${entry.path} is gone or not a result`, {
    path: entry.path,
  });
}

/** The sidecar's bytes, when it is a regular file inside the library and one of ours. */
async function readSidecar(root: string, entry: LibraryEntry): Promise<Buffer | null> {
  const handle = await openFileInside(root, entry.sidecarPath);
  if (!handle) return null;
  try {
    const bytes = await handle.readFile();
    return parseSidecar(bytes.toString('utf8')) ? bytes : null;
  } finally {
    await handle.close();
  }
}

/**
 * Copies results out of the library to a folder the user chose: the album tree
 * (`folders`), all in one folder (`flat`), or one zip file (`zip`, the album
 * tree inside, streamed). Sidecars go along when asked. Never overwrites: a
 * taken name gets ` (2)`, ` (3)`…. Results whose file is missing (or is not a
 * regular image inside the library) are skipped and counted. A failed write
 * (disk full, a read-only or foreign folder) leaves nothing behind: the files
 * already copied are removed again, a zip is written to a temp file renamed
 * at the end; the error is coded (`disk_full`… with params.context `export`).
 */
export async function exportResults(
  library: Library,
  request: ExportRequest,
  deps: ExportDeps = {},
): Promise<ExportReport> {
  const log = deps.log ?? silentLogger;
  const root = library.root;
  const destination = await checkDestination(root, request.destination);

  const items: Item[] = [];
  let skipped = 0;
  for (const id of new Set(request.ids)) {
    const entry = library.get(id);
    try {
      if (!entry) throw new RestyleError('not_found', `no result ${id}`);
      await resultFile(library, id);
    } catch (error) {
      if (!(error instanceof RestyleError)) throw error;
      log.info('library export: result skipped', { id, code: error.code });
      skipped += 1;
      continue;
    }
    const relPath = toRelative(root, entry.path);
    const sidecar = request.sidecars && (await readSidecar(root, entry)) !== null;
    if (request.sidecars && !sidecar)
      log.info('library export: no sidecar beside the result', { id, path: entry.sidecarPath });
    items.push({ entry, relPath, sidecar });
  }

  const write = request.layout === 'zip' ? writeZip : writeFiles;
  const written = await write(
    root,
    destination,
    items,
    request.layout,
    deps.now ?? (() => new Date()),
  );
  log.info('library export done', { destination: written, images: items.length, skipped });
  return { destination: written, images: items.length, skipped };
}

/** The sidecar found when the export was planned; gone since, the export stops (nothing is left). */
async function sidecarOf(root: string, entry: LibraryEntry): Promise<Buffer> {
  const bytes = await readSidecar(root, entry);
  if (bytes) return bytes;
  throw new RestyleError('file_missing', `${entry.sidecarPath} is gone`, {
    path: entry.sidecarPath,
  });
}

type Writer = (
  root: string,
  destination: string,
  items: readonly Item[],
  layout: ExportLayout,
  now: () => Date,
) => Promise<string>;

const tempBeside = (path: string): string =>
  join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);

/** `data` (a stream) into a new temp file beside `path`, flushed to disk; returns the temp's path. */
async function writeTemp(path: string, data: Readable | NodeJS.ReadableStream): Promise<string> {
  const temp = tempBeside(path);
  try {
    await pipeline(data, createWriteStream(temp, { flags: 'wx', flush: true }));
  } catch (error) {
    await nodeFileOps.remove(temp).catch(() => undefined);
    throw error;
  }
  return temp;
}

/** Renames `temp` to the first free `withCounter` form of `fileName` in `folder` (and its sidecar's name, when `withSidecar`). */
async function placeFree(
  temp: string,
  folder: string,
  fileName: string,
  withSidecar: boolean,
): Promise<string> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const target = join(folder, withCounter(fileName, attempt));
    if (existsSync(target) || (withSidecar && existsSync(target + SIDECAR_SUFFIX))) continue;
    try {
      await nodeFileOps.renameNoReplace(temp, target);
      return target;
    } catch (error) {
      if (!isExists(error)) throw error;
    }
  }
  throw new Error(`no free name for ${fileName} in ${folder}`);
}

/** `folders` and `flat`: each image (and sidecar) copied whole through a temp file, never over a file. */
const writeFiles: Writer = async (root, destination, items, layout) => {
  const written: string[] = [];
  const madeFolders: string[] = [];
  const folders = new Set<string>();
  let temp: string | null = null;
  try {
    for (const item of items) {
      const parts = item.relPath.split('/');
      const fileName = parts.pop() as string;
      const folder = layout === 'flat' ? destination : join(destination, ...parts);
      if (!isInside(destination, folder)) throw new Error(`escapes the export: ${item.relPath}`);
      if (!folders.has(folder)) {
        const made = await mkdir(folder, { recursive: true });
        // Every folder this export made, deepest last (taken away again on failure).
        for (let at = folder; made && isInside(made, at); at = dirname(at)) madeFolders.push(at);
        folders.add(folder);
      }
      const image = await openImage(root, item.entry);
      try {
        temp = await writeTemp(join(folder, fileName), image.createReadStream({ start: 0 }));
      } finally {
        await image.close();
      }
      const target = await placeFree(temp, folder, fileName, item.sidecar);
      temp = null;
      written.push(target);
      if (item.sidecar) {
        temp = await writeTemp(target, Readable.from([await sidecarOf(root, item.entry)]));
        await nodeFileOps.renameNoReplace(temp, target + SIDECAR_SUFFIX);
        temp = null;
        written.push(target + SIDECAR_SUFFIX);
      }
    }
    for (const folder of folders) await nodeFileOps.syncDir(folder);
  } catch (error) {
    if (temp) await nodeFileOps.remove(temp).catch(() => undefined);
    for (const path of written) await nodeFileOps.remove(path).catch(() => undefined);
    for (const folder of madeFolders.sort((a, b) => b.length - a.length))
      await rmdir(folder).catch(() => undefined);
    throw exportError(error, destination);
  }
  return destination;
};

/** `zip`: one file streamed through yazl into a temp file, renamed when complete. */
const writeZip: Writer = async (root, destination, items, _layout, now) => {
  const name = zipName(now());
  const zip = new ZipFile();
  let temp: string | null = null;
  try {
    // A file that fails while the zip is written ends the output stream, and so the write.
    zip.on('error', (error: Error) => (zip.outputStream as Readable).destroy(error));
    const lazy =
      (open: () => Promise<Readable | NodeJS.ReadableStream>) =>
      (done: (error: unknown, stream: NodeJS.ReadableStream) => void) =>
        void open().then(
          (stream) => done(null, stream),
          (error: unknown) => zip.emit('error', error),
        );
    for (const item of items) {
      // Images are compressed already: stored, not deflated again.
      const options = { compress: false, mtime: new Date(item.entry.savedAt) };
      zip.addReadStreamLazy(
        item.relPath,
        options,
        lazy(async () => {
          const image = await openImage(root, item.entry);
          return image.createReadStream({ start: 0 });
        }),
      );
      if (item.sidecar)
        zip.addReadStreamLazy(
          item.relPath + SIDECAR_SUFFIX,
          { ...options, compress: true },
          lazy(async () => Readable.from([await sidecarOf(root, item.entry)])),
        );
    }
    zip.end();
    temp = await writeTemp(join(destination, name), zip.outputStream);
    const target = await placeFree(temp, destination, name, false);
    temp = null;
    await nodeFileOps.syncDir(destination);
    return target;
  } catch (error) {
    if (temp) await nodeFileOps.remove(temp).catch(() => undefined);
    throw exportError(error, destination);
  }
};
