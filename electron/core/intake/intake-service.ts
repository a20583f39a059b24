import { createHash, randomUUID } from 'node:crypto';
import type { ThumbnailSize } from '../../../shared/contract';
import type { PhotoStatus } from '../../../shared/photos';
import type { LeftOut, ScanDone, ScanSummary } from '../../../shared/contract/intake';
import { MODELS, type ModelId } from '../../../shared/models';
import {
  compareGalleryOrder,
  hasPhotoExtension,
  pathInDrop,
  statusFor,
  type PhotoFormat,
  type PhotoReason,
  type PhotoRecord,
} from '../../../shared/photos';
import { RestyleError } from '../../../shared/result';
import type { EventBus } from '../events';
import { mapConcurrent } from './concurrent-map';
import { placeCrops } from './crop';
import { openImage, type ImageSource } from './decode';
import { planFit } from './fit-plan';
import { hashFile } from './hash';
import { IntakeError, classifyDecodeError, classifyFileError } from './intake-error';
import { isOpaque, prepareImage, type PreparedImage } from './prepare';
import { probeImage } from './probe';
import { readProbe, writeProbe, type ProbeEntry } from './probe-cache';
import { leftOutTally, readHead, walk, type ScanEntry } from './scan';
import { sniff } from './sniff';
import { ensureThumbnails, readThumbnail } from './thumbnails';

export interface IntakeDeps {
  /** The app's cache folder; thumbnails go under `<cacheDir>/thumbs`. */
  cacheDir: string;
  /** Photos worked on at once (sharp's own thread pool does the pixels). @default 4 */
  concurrency?: number;
  /** Where `startScan` sends `intake:photos` and `intake:scan-done`. */
  events?: Pick<EventBus, 'emit'>;
}

export interface ScanOptions {
  model: ModelId;
  /** Crop photos beyond the model's aspect limit; false sends them uncropped. @default true */
  crop?: boolean;
  /** Make (or find cached) thumbnails; this also fully decodes each photo. @default true */
  thumbnails?: boolean;
  /** Filled in place with the files left out by their extension (`.json`, `.mov`…), never records. */
  leftOut?: LeftOut;
  /**
   * The album folder (`PhotoRecord.folder`) of files given one by one, by
   * path, instead of none: originals scanned again for a re-run keep the
   * folder they were found in, so their results land in the same library folder.
   */
  folders?: ReadonlyMap<string, string>;
  signal?: AbortSignal;
}

/** How a kept scan is started. */
export interface StartScanOptions extends Omit<ScanOptions, 'signal' | 'leftOut'> {
  /**
   * False: a scan made by core for a re-run from the library, not a drop: it
   * sends no `intake:*` events and `listScans` leaves it out, so it is never a
   * window tab by itself (a batch made from it shows as the queue's runs do).
   * @default true
   */
  listed?: boolean;
}

export interface IntakeService {
  /**
   * Walks the paths and yields one record per file found, as each is done;
   * files whose extension says they are not photos are only counted (`leftOut`).
   */
  scan(paths: readonly string[], options: ScanOptions): AsyncGenerator<PhotoRecord>;
  /**
   * Runs a scan in the background, streaming `intake:photos` batches, then
   * `intake:scan-done`; the scan is kept (its paths, records and counts) for
   * this app session under its id, until closed. The window's tabs and the
   * CLI's `run` both scan this way, and batches are made from kept scans.
   */
  startScan(paths: readonly string[], options: StartScanOptions): { scanId: string };
  /** Resolves when a kept scan ends (at once if it has). `not_found`: no such scan. */
  scanDone(scanId: string): Promise<ScanDone>;
  /** The kept scans, oldest first. */
  listScans(): ScanSummary[];
  /**
   * A kept scan's records in gallery order (`compareGalleryOrder`), from
   * `offset`, at most `limit` (default all). `not_found`: no such scan.
   */
  scanRecords(
    scanId: string,
    offset?: number,
    limit?: number,
  ): { records: PhotoRecord[]; total: number };
  /** Cancels a kept scan if it is running; false when it had ended. `not_found`: no such scan. */
  cancelScan(scanId: string): boolean;
  /**
   * The user closed the scan's tab: a kept scan is canceled if running and
   * forgotten. Either way the id is remembered as closed for this app session
   * (an earlier session's scan, whose runs the window showed as a tab, too),
   * so a reloaded window does not show its runs as a tab again.
   */
  closeScan(scanId: string): void;
  /** The scans closed in this app session (`closeScan`), oldest first. */
  closedScans(): string[];
  /** The upload for one photo (job engine). Throws IntakeError with the reason when it cannot be sent. */
  prepare(path: string, options: { model: ModelId; crop?: boolean }): Promise<PreparedImage>;
  /** A cached thumbnail, by content hash only; null for anything else. */
  readThumbnail(hash: string, size: ThumbnailSize): Promise<Buffer | null>;
}

const BATCH_SIZE = 50;
const BATCH_MS = 150;

function settle(record: PhotoRecord, status: PhotoStatus, reason?: PhotoReason): PhotoRecord {
  record.status = status;
  if (reason) record.reason = reason;
  return record;
}

export function createIntakeService(deps: IntakeDeps): IntakeService {
  const concurrency = deps.concurrency ?? 4;

  async function* scan(
    paths: readonly string[],
    options: ScanOptions,
  ): AsyncGenerator<PhotoRecord> {
    const walkOptions = options.signal ? { signal: options.signal } : {};
    const leftOut = leftOutTally(options.leftOut);
    // The whole walk first (names and sizes only: cheap), so photos are
    // identified in one order whatever the disk returns: those with a photo
    // extension first, each in gallery order. Of two copies of a photo, the
    // one kept is then the first in gallery order among those named as a
    // photo (`IMG_1.jpg`, not its extensionless twin of a phone backup).
    const entries: ScanEntry[] = [];
    for await (const entry of walk(paths, walkOptions)) {
      if (entry.kind === 'left_out') leftOut.add(entry.name);
      else entries.push({ ...entry, folder: options.folders?.get(entry.path) ?? entry.folder });
    }
    entries.sort(
      (a, b) =>
        Number(!hasPhotoExtension(a.name)) - Number(!hasPhotoExtension(b.name)) ||
        compareGalleryOrder(a, b),
    );
    // Identify (sniff, hash, dedupe) one by one in that order; decode and fit
    // with bounded concurrency, records coming out as they finish.
    const fitting = new Map<string, Promise<PhotoRecord>>();
    yield* mapConcurrent(identifyAll(entries, options), concurrency, (item) => {
      if (item.copyOf) {
        // A duplicate shows the kept copy's thumbnail and size, once it has them.
        const kept = fitting.get(item.copyOf);
        return kept
          ? kept.then((copy) => asCopyOf(item.record, copy))
          : Promise.resolve(item.record);
      }
      if (item.format === null) return Promise.resolve(item.record);
      const fitted = fit(item.record, item.format, options);
      if (item.record.hash) fitting.set(item.record.hash, fitted);
      return fitted;
    });
  }

  async function* identifyAll(entries: readonly ScanEntry[], options: ScanOptions) {
    const firstByHash = new Map<string, string>();
    for (const entry of entries) {
      if (options.signal?.aborted) return;
      yield identify(entry, options, firstByHash);
    }
  }

  function asCopyOf(record: PhotoRecord, copy: PhotoRecord): PhotoRecord {
    record.width = copy.width;
    record.height = copy.height;
    record.thumbnails = copy.thumbnails;
    return record;
  }

  /**
   * A record, final unless `format` is set (then it goes on to decoding);
   * `copyOf`: it is a duplicate of the copy kept with this hash.
   */
  async function identify(
    entry: ScanEntry,
    options: ScanOptions,
    firstByHash: Map<string, string>,
  ): Promise<{ record: PhotoRecord; format: PhotoFormat | null; copyOf?: string }> {
    const record: PhotoRecord = {
      id: createHash('sha256').update(entry.path).digest('hex').slice(0, 32),
      hash: null,
      path: entry.path,
      name: entry.name,
      folder: entry.folder,
      format: null,
      width: null,
      height: null,
      bytes: entry.bytes,
      status: 'rejected',
      model: options.model,
      adjustments: [],
      thumbnails: false,
    };
    const final = (status: PhotoStatus, reason: PhotoReason) => ({
      record: settle(record, status, reason),
      format: null,
    });
    if (entry.kind === 'system') return final('skipped', { code: 'system_file' });
    if (entry.kind === 'special') return final('rejected', { code: 'not_a_regular_file' });
    if (entry.kind === 'broken_link') return final('rejected', { code: 'broken_link' });
    if (entry.kind === 'missing') return final('rejected', { code: 'not_found' });
    if (entry.kind === 'folder_error')
      return final('rejected', {
        code: 'unreadable_folder',
        params: { detail: entry.error ?? '' },
      });
    if (entry.kind === 'error')
      return final('rejected', { code: 'unreadable', params: { detail: entry.error ?? '' } });
    if (entry.bytes === 0) return final('rejected', { code: 'empty' });

    let head: Buffer;
    try {
      head = await readHead(entry.path);
      record.hash = await hashFile(entry.path);
    } catch (error) {
      return final('rejected', classifyDecodeError(error).reason);
    }
    const sniffed = sniff(head);
    if (sniffed.kind === 'unknown') return final('rejected', { code: 'not_image' });
    if (sniffed.kind === 'unsupported') {
      return final('rejected', { code: 'unsupported_format', params: { format: sniffed.format } });
    }
    record.format = sniffed.format;
    const first = firstByHash.get(record.hash);
    if (first !== undefined) {
      return {
        ...final('skipped', { code: 'duplicate', params: { of: first } }),
        copyOf: record.hash,
      };
    }
    firstByHash.set(record.hash, pathInDrop(entry));
    return { record, format: sniffed.format };
  }

  async function fit(
    record: PhotoRecord,
    format: PhotoFormat,
    options: ScanOptions,
  ): Promise<PhotoRecord> {
    const limits = MODELS[options.model].limits;
    const crop = options.crop ?? true;
    let opened: Promise<ImageSource> | undefined;
    const source = () => (opened ??= openImage(record.path, format));
    try {
      // A scan never builds the upload (only the job engine does, right
      // before a submit): it learns what the photo is, from the probe cache
      // when these bytes were scanned before, else from the photo's header
      // and, for crops and alpha, one small decode.
      const cached = record.hash ? await readProbe(deps.cacheDir, record.hash) : null;
      const entry: ProbeEntry = cached ?? (await probeImage(await source()));
      record.width = entry.width;
      record.height = entry.height;
      if ((options.thumbnails ?? true) && record.hash) {
        await ensureThumbnails(deps.cacheDir, record.hash, source);
        record.thumbnails = true;
      }
      let learned = cached === null;
      if (crop && !entry.crops) {
        entry.crops = (await placeCrops(await source(), entry, true)) ?? {};
        learned = true;
      }
      if (entry.hasAlpha && entry.opaque === undefined) {
        entry.opaque = await isOpaque(await source());
        learned = true;
      }
      // Kept once the photo decoded (thumbnails) and was measured; a cache that cannot be written is no error.
      if (learned && record.hash)
        await writeProbe(deps.cacheDir, record.hash, entry).catch(() => undefined);
      const plan = planFit(entry.width, entry.height, limits, { crop });
      if (crop && entry.crops && Object.keys(entry.crops).length > 0) record.crops = entry.crops;
      record.planned = { width: plan.width, height: plan.height };
      record.adjustments = [...entry.adjustments];
      if (entry.hasAlpha && !entry.opaque) record.adjustments.push('flattened');
      if (plan.cropped) record.adjustments.push('cropped');
      if (plan.downscaled) record.adjustments.push('downscaled');
      return settle(record, statusFor(record.adjustments), plan.note);
    } catch (error) {
      return settle(
        record,
        'rejected',
        (await classifyFileError(error, record.path, format)).reason,
      );
    }
  }

  /** A kept scan: a window tab, or the CLI's album (see `startScan`). */
  interface KeptScan {
    summary: Omit<ScanSummary, 'size'>;
    /** False: not a tab (see StartScanOptions.listed). */
    listed: boolean;
    records: PhotoRecord[];
    /** How many records there were when they were last put in gallery order. */
    sortedSize: number;
    controller: AbortController;
    done: Promise<ScanDone>;
  }
  const kept = new Map<string, KeptScan>();
  const closed = new Set<string>();

  function keptScan(scanId: string): KeptScan {
    const found = kept.get(scanId);
    if (!found) throw new RestyleError('not_found', `no scan ${scanId}`, { id: scanId });
    return found;
  }

  function startScan(
    paths: readonly string[],
    { listed = true, ...options }: StartScanOptions,
  ): { scanId: string } {
    const scanId = randomUUID();
    const events = listed ? deps.events : undefined;
    const controller = new AbortController();
    const counts: Record<PhotoStatus, number> = { ready: 0, adjusted: 0, skipped: 0, rejected: 0 };
    const leftOut: LeftOut = { count: 0, extensions: [] };
    const records: PhotoRecord[] = [];
    const summary: KeptScan['summary'] = {
      scanId,
      paths: [...paths],
      counts,
      leftOut,
      scanning: true,
      canceled: false,
      createdAt: Date.now(),
    };
    let batch: PhotoRecord[] = [];
    let lastFlush = Date.now();
    const flush = () => {
      if (batch.length > 0) events?.emit('intake:photos', { scanId, photos: batch });
      batch = [];
      lastFlush = Date.now();
    };
    const done = (async () => {
      let error: string | undefined;
      try {
        for await (const record of scan(paths, {
          ...options,
          leftOut,
          signal: controller.signal,
        })) {
          counts[record.status] += 1;
          records.push(record);
          batch.push(record);
          if (batch.length >= BATCH_SIZE || Date.now() - lastFlush >= BATCH_MS) flush();
        }
      } catch (cause) {
        error = cause instanceof Error ? cause.message : String(cause);
      } finally {
        flush();
        summary.scanning = false;
        summary.canceled = controller.signal.aborted;
        if (error) summary.error = error;
      }
      const done: ScanDone = { scanId, counts, leftOut, canceled: summary.canceled };
      if (error) done.error = error;
      events?.emit('intake:scan-done', done);
      return done;
    })();
    kept.set(scanId, { summary, listed, records, sortedSize: 0, controller, done });
    return { scanId };
  }

  const service: IntakeService = {
    scan,
    startScan,
    scanDone: (scanId) => keptScan(scanId).done,
    listScans: () =>
      [...kept.values()]
        .filter((scan) => scan.listed)
        .map(({ summary, records }) => ({
          ...summary,
          paths: [...summary.paths],
          counts: { ...summary.counts },
          size: records.length,
        })),
    scanRecords(scanId, offset = 0, limit = Number.POSITIVE_INFINITY) {
      const found = keptScan(scanId);
      if (found.sortedSize !== found.records.length) {
        found.records.sort(compareGalleryOrder);
        found.sortedSize = found.records.length;
      }
      return {
        records: found.records.slice(offset, offset + limit),
        total: found.records.length,
      };
    },
    cancelScan(scanId) {
      const found = keptScan(scanId);
      if (!found.summary.scanning) return false;
      found.controller.abort();
      return true;
    },
    closeScan(scanId) {
      kept.get(scanId)?.controller.abort();
      kept.delete(scanId);
      closed.add(scanId);
    },
    closedScans: () => [...closed],
    async prepare(path, { model, crop }) {
      let head: Buffer;
      try {
        head = await readHead(path);
      } catch (error) {
        throw classifyDecodeError(error);
      }
      if (head.length === 0) throw new IntakeError('empty', `${path} is empty`);
      const sniffed = sniff(head);
      if (sniffed.kind === 'unknown') throw new IntakeError('not_image', `${path} is not an image`);
      if (sniffed.kind === 'unsupported') {
        throw new IntakeError('unsupported_format', `${sniffed.format} is not supported`, {
          format: sniffed.format,
        });
      }
      const limits = MODELS[model].limits;
      try {
        return await prepareImage(
          await openImage(path, sniffed.format),
          crop === undefined ? { limits } : { limits, crop },
        );
      } catch (error) {
        throw await classifyFileError(error, path, sniffed.format);
      }
    },
    readThumbnail: (hash, size) => readThumbnail(deps.cacheDir, hash, size),
  };
  return service;
}
