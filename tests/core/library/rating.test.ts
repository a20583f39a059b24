// Ratings and favourites (issue 11): kept in the sidecar, as xmp:Rating in the
// image, and in the index; they survive a rebuild. Real saves, real files.
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../electron/core/ipc/dispatch';
import { handlers } from '../../../electron/core/ipc/handlers';
import { createSenderCheck } from '../../../electron/core/ipc/trusted-sender';
import { createLibrary, indexPath } from '../../../electron/core/library/library';
import { parseSidecar } from '../../../electron/core/library/sidecar';
import type { Library, LibraryEntry } from '../../../electron/core/library/types';
import { locateXmp, restyleXmpAttribute, withoutXmp } from '../../../electron/core/library/xmp';
import type { EventName } from '../../../shared/contract';
import { makeServices } from '../../support/core-services';
import { useTempDir } from '../../support/temp-dir';
import { jpegResult, pngResult, saveInput } from './fixtures';

let temp: ReturnType<typeof useTempDir>;
let library: Library;
const root = () => join(temp.path, 'lib');
const open = () => createLibrary({ root: root(), appVersion: '9.9.9' });

beforeEach(() => {
  temp = useTempDir('restyle-library-rating-');
  library = open();
});
afterEach(() => {
  library.close();
  temp.cleanup();
});

const sidecarOf = (entry: LibraryEntry) => parseSidecar(readFileSync(entry.sidecarPath, 'utf8'));

/** The packet in the image file's bytes. */
const packetOf = (entry: LibraryEntry) => locateXmp(readFileSync(entry.path))?.packet ?? null;

/** xmp:Rating as another tool reads it: sharp (libvips) hands back the raw packet. */
async function ratingSharpReads(entry: LibraryEntry): Promise<string | null> {
  const { xmp } = await sharp(readFileSync(entry.path)).metadata();
  return /\bxmp:Rating="(\d)"/.exec(xmp?.toString('utf8') ?? '')?.[1] ?? null;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('a new result', () => {
  it('starts unrated and names its id in its XMP (restyle:ResultId)', async () => {
    const entry = await library.save(saveInput(await pngResult()));
    expect(entry).toMatchObject({ rating: 0, favourite: false });
    expect(sidecarOf(entry)?.user).toBeUndefined();
    const packet = packetOf(entry) ?? '';
    expect(restyleXmpAttribute(packet, 'ResultId')).toBe(entry.id);
    expect(packet).not.toContain('xmp:Rating');
  });
});

describe('setRating', () => {
  it.each([
    ['png', pngResult],
    ['jpeg', jpegResult],
  ] as const)(
    'writes the %s image xmp:Rating, the sidecar and the index',
    async (_format, make) => {
      const entry = await library.save(saveInput(await make()));
      const [rated] = await library.setRating([entry.id], { rating: 4 });
      expect(rated).toMatchObject({ id: entry.id, rating: 4, favourite: false });
      expect(sidecarOf(entry)?.user).toEqual({ rating: 4, favourite: false });
      expect(library.get(entry.id)).toEqual(rated);
      expect(await ratingSharpReads(entry)).toBe('4');
      const packet = packetOf(entry) ?? '';
      // The provenance is still there, once.
      expect(restyleXmpAttribute(packet, 'ResultId')).toBe(entry.id);
      expect(restyleXmpAttribute(packet, 'TaskId')).toBe('task-1');
      expect(packet.match(/xmp:Rating=/g)).toHaveLength(1);
      // The pixels paid for are untouched: without its packet, the image is the download.
      const bytes = readFileSync(entry.path);
      expect(sha256(withoutXmp(bytes))).toBe(sidecarOf(entry)?.result.sha256);
      expect(rated?.bytes).toBe(bytes.length);
      expect(statSync(entry.path).size).toBe(bytes.length);
      await sharp(bytes).raw().toBuffer();

      await library.setRating([entry.id], { rating: 2 });
      expect(await ratingSharpReads(entry)).toBe('2');
      expect(packetOf(entry)?.match(/xmp:Rating=/g)).toHaveLength(1);
      // 0 is unrated, as the XMP spec says.
      await library.setRating([entry.id], { rating: 0 });
      expect(await ratingSharpReads(entry)).toBe('0');
      expect(library.get(entry.id)?.rating).toBe(0);
    },
  );

  it('changes only what it is given; a favourite leaves the image alone', async () => {
    const entry = await library.save(saveInput(await pngResult()));
    await library.setRating([entry.id], { rating: 3 });
    const before = readFileSync(entry.path);
    const [fav] = await library.setRating([entry.id], { favourite: true });
    expect(fav).toMatchObject({ rating: 3, favourite: true });
    expect(sidecarOf(entry)?.user).toEqual({ rating: 3, favourite: true });
    expect(readFileSync(entry.path).equals(before)).toBe(true);
    const [unfav] = await library.setRating([entry.id], { favourite: false });
    expect(unfav).toMatchObject({ rating: 3, favourite: false });
    expect(library.get(entry.id)).toMatchObject({ rating: 3, favourite: false });
  });

  it('rates several results at once and passes over unknown ids', async () => {
    const one = await library.save(saveInput(await pngResult()));
    const two = await library.save(saveInput(await jpegResult(), { taskId: 'task-2' }));
    const rated = await library.setRating([one.id, 'unknown', two.id, one.id], {
      rating: 5,
      favourite: true,
    });
    expect(rated.map((item) => item.id)).toEqual([one.id, two.id]);
    for (const entry of [one, two]) {
      expect(library.get(entry.id)).toMatchObject({ rating: 5, favourite: true });
      expect(await ratingSharpReads(entry)).toBe('5');
    }
    expect(await library.setRating(['unknown'], { rating: 1 })).toEqual([]);
  });

  it('survives a rebuild of the index and a deleted index file', async () => {
    const entry = await library.save(saveInput(await pngResult()));
    const other = await library.save(saveInput(await pngResult(), { taskId: 'task-2' }));
    await library.setRating([entry.id], { rating: 5, favourite: true });
    await library.setRating([other.id], { favourite: true });

    await library.rebuildIndex();
    expect(library.get(entry.id)).toMatchObject({ rating: 5, favourite: true });
    expect(library.get(other.id)).toMatchObject({ rating: 0, favourite: true });

    library.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(indexPath(root()) + suffix, { force: true });
    library = open();
    expect(library.get(entry.id)).toMatchObject({ rating: 5, favourite: true });
    expect(library.results({ minRating: 5 }, 'newest', { offset: 0, limit: 10 }).total).toBe(1);
    expect(library.facets({}).favourites).toBe(2);
  });

  it('rates a result whose image is gone in the sidecar and the index alone', async () => {
    const entry = await library.save(saveInput(await pngResult()));
    rmSync(entry.path);
    const [rated] = await library.setRating([entry.id], { rating: 2 });
    expect(rated).toMatchObject({ rating: 2 });
    expect(sidecarOf(entry)?.user).toEqual({ rating: 2, favourite: false });
  });

  it('embeds a packet, from the sidecar, in an image that has none', async () => {
    const entry = await library.save(saveInput(await pngResult()));
    // Another tool stripped the metadata.
    writeFileSync(entry.path, withoutXmp(readFileSync(entry.path)));
    expect(packetOf(entry)).toBeNull();
    await library.setRating([entry.id], { rating: 1 });
    expect(await ratingSharpReads(entry)).toBe('1');
    const packet = packetOf(entry) ?? '';
    expect(restyleXmpAttribute(packet, 'ResultId')).toBe(entry.id);
    expect(restyleXmpAttribute(packet, 'SourceSHA256')).toBe(entry.sourceHash);
  });

  it('keeps the rating of a WebP result (no XMP) in the sidecar and the index', async () => {
    const webp = await sharp({
      create: { width: 32, height: 24, channels: 3, background: '#808080' },
    })
      .webp()
      .toBuffer();
    const entry = await library.save(saveInput(webp));
    await library.setRating([entry.id], { rating: 4 });
    expect(readFileSync(entry.path).equals(webp)).toBe(true);
    expect(sidecarOf(entry)?.user).toEqual({ rating: 4, favourite: false });
    expect(library.get(entry.id)?.rating).toBe(4);
  });

  it('never writes through a link planted in place of the image', async () => {
    const entry = await library.save(saveInput(await pngResult()));
    const outside = join(temp.path, 'outside.png');
    const foreign = await pngResult(8, 8);
    writeFileSync(outside, foreign);
    rmSync(entry.path);
    symlinkSync(outside, entry.path);
    await library.setRating([entry.id], { rating: 5 });
    expect(readFileSync(outside).equals(foreign)).toBe(true);
    // Nor is the foreign file taken in as the result.
    expect(lstatSync(entry.path).isSymbolicLink()).toBe(true);
    expect(library.get(entry.id)?.rating).toBe(5);
  });
});

describe('library:set-rating', () => {
  const PAGE = 'file:///opt/Restyle/resources/app.asar/out/renderer/index.html';
  const own = { senderUrl: PAGE };

  it('rates, says the library was updated, and refuses bad payloads', async () => {
    const data = useTempDir('restyle-library-rating-ipc-');
    const services = makeServices(data.path);
    try {
      const dispatch = createDispatcher({
        services,
        handlers,
        isTrustedSender: createSenderCheck([PAGE]),
      });
      const events: Array<{ name: EventName; payload: unknown }> = [];
      services.events.subscribe((name, payload) => void events.push({ name, payload }));
      const entry = await services.library.save(saveInput(await pngResult()));

      const answer = await dispatch(own, 'library:set-rating', { ids: [entry.id], rating: 5 });
      expect(answer).toMatchObject({
        ok: true,
        value: { items: [{ id: entry.id, rating: 5, favourite: false }] },
      });
      expect(events).toContainEqual({ name: 'library:updated', payload: { reason: 'rating' } });
      expect(await ratingSharpReads(entry)).toBe('5');

      expect(
        await dispatch(own, 'library:set-rating', { ids: ['gone'], favourite: true }),
      ).toMatchObject({ ok: false, error: { code: 'not_found' } });
      for (const payload of [
        { ids: [entry.id] },
        { ids: [], rating: 1 },
        { ids: [entry.id], rating: 6 },
        { ids: [entry.id], rating: -1 },
        { ids: [entry.id], rating: 2.5 },
        { ids: [entry.id], favourite: 'yes' },
        { ids: [entry.id], rating: 1, extra: true },
        { rating: 1 },
      ])
        expect(await dispatch(own, 'library:set-rating', payload)).toMatchObject({
          ok: false,
          error: { code: 'invalid_payload' },
        });
      expect(services.library.get(entry.id)?.rating).toBe(5);
    } finally {
      await services.close();
      data.cleanup();
    }
  });
});
