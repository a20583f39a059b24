// The window's images of a result, by id: `thumb` (a small cached WebP for
// grids) and `source` (the original as it was sent: upright, cut to the crop
// the sidecar records). And the crop itself: a photo cut before sending has it
// in its result's sidecar.
import { readdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashFile } from '../../../electron/core/intake/hash';
import { sniff } from '../../../electron/core/intake/sniff';
import { createLibrary } from '../../../electron/core/library/library';
import {
  createResultReaders,
  RESULT_THUMB_PX,
  type ResultReaders,
} from '../../../electron/core/library/result-readers';
import { parseSidecar } from '../../../electron/core/library/sidecar';
import type { Library, SaveResultInput } from '../../../electron/core/library/types';
import { useTempDir } from '../../support/temp-dir';
import { halves, HEIC_FIXTURE, photo } from '../intake/images';
import { createBatch, startEngineRig, until, type EngineRig } from '../queue/rig';
import { pngResult, saveInput } from './fixtures';

const posix = process.platform !== 'win32';
const formatOf = (bytes: Buffer | undefined) => {
  const sniffed = sniff((bytes ?? Buffer.alloc(0)).subarray(0, 64));
  return sniffed.kind === 'image' ? sniffed.format : null;
};
const size = async (bytes: Buffer | undefined) => {
  const meta = await sharp(bytes).metadata();
  return { width: meta.width, height: meta.height, orientation: meta.orientation };
};
/** The colour at (x, y), as the name of its strongest channel. */
async function colourAt(bytes: Buffer | undefined, x: number, y: number): Promise<string> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * info.channels;
  const [r = 0, , b = 0] = [data[at], data[at + 1], data[at + 2]];
  return r > b ? 'red' : 'blue';
}
/** Files under the readers' cache. */
const cached = (cacheDir: string) =>
  readdirSync(join(cacheDir, 'results'), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));

let temp: ReturnType<typeof useTempDir>;
let library: Library;
let cacheDir: string;
let readers: ResultReaders;
beforeEach(() => {
  temp = useTempDir('restyle-readers-');
  library = createLibrary({ root: join(temp.path, 'library') });
  cacheDir = join(temp.path, 'cache');
  readers = createResultReaders(library, cacheDir);
});
afterEach(() => {
  library.close();
  temp.cleanup();
});

/** A saved result of a real original at `path` (its real hash), with `crop` when given. */
async function resultOf(path: string, crop?: SaveResultInput['source']['crop']) {
  const hash = await hashFile(path);
  return library.save(
    saveInput(await pngResult(), {
      source: { path, hash, albumFolder: 'Album', ...(crop ? { crop } : {}) },
      taskId: `task-${hash.slice(0, 8)}`,
    }),
  );
}

describe('thumb', () => {
  it('is a small WebP, made once and then served from the cache', async () => {
    const entry = await library.save(saveInput(await pngResult(1600, 1200)));
    const first = await readers.read(entry.id, 'thumb');
    expect(first?.type).toBe('image/webp');
    expect(formatOf(first?.body)).toBe('webp');
    expect(await size(first?.body)).toMatchObject({ width: RESULT_THUMB_PX, height: 240 });
    expect(first?.body.length).toBeLessThan(readFileSync(entry.path).length);
    const [file] = cached(cacheDir);
    expect(cached(cacheDir)).toHaveLength(1);
    // Served from the cache: a changed cached file is what comes back.
    const marked = await sharp({
      create: { width: 8, height: 8, channels: 3, background: '#00ff00' },
    })
      .webp()
      .toBuffer();
    writeFileSync(file as string, marked);
    expect((await readers.read(entry.id, 'thumb'))?.body).toEqual(marked);
  });

  it('is made again when the result’s file changes', async () => {
    const entry = await library.save(saveInput(await pngResult(640, 480)));
    await readers.read(entry.id, 'thumb');
    unlinkSync(entry.path);
    writeFileSync(entry.path, await pngResult(300, 600));
    expect(await size((await readers.read(entry.id, 'thumb'))?.body)).toMatchObject({
      width: 160,
      height: RESULT_THUMB_PX,
    });
    expect(cached(cacheDir)).toHaveLength(2);
  });

  it('is nothing for an unknown id or variant, a missing file or a link planted in the library', async () => {
    const entry = await library.save(saveInput(await pngResult()));
    expect(await readers.read('no-such-id', 'thumb')).toBeNull();
    expect(await readers.read(entry.id, 'poster')).toBeNull();
    expect(await readers.read(entry.id, 'constructor')).toBeNull();
    if (posix) {
      const outside = join(temp.path, 'outside.png');
      writeFileSync(outside, await pngResult(100, 100));
      unlinkSync(entry.path);
      symlinkSync(outside, entry.path);
      expect(await readers.read(entry.id, 'thumb')).toBeNull();
    }
    unlinkSync(entry.path);
    expect(await readers.read(entry.id, 'thumb')).toBeNull();
  });
});

describe('source', () => {
  it('is the original upright and cut to the recorded crop (an EXIF-rotated JPEG)', async () => {
    // Stored 1200x400, top half red; orientation 6 turns it upright to 400x1200, red on the right.
    const path = join(temp.path, 'rotated.jpg');
    await halves(1200, 400).withMetadata({ orientation: 6 }).jpeg().toFile(path);
    const entry = await resultOf(path, { left: 0, top: 300, width: 400, height: 600 });
    const served = await readers.read(entry.id, 'source');
    expect(served?.type).toBe('image/jpeg');
    expect(formatOf(served?.body)).toBe('jpeg');
    const shown = await size(served?.body);
    expect(shown).toMatchObject({ width: 400, height: 600 });
    expect(shown.orientation ?? 1).toBe(1);
    expect(await colourAt(served?.body, 50, 300)).toBe('blue');
    expect(await colourAt(served?.body, 350, 300)).toBe('red');
  });

  it('is the whole photo without a crop, at most 2048 px, and a HEIC original decoded', async () => {
    const big = join(temp.path, 'big.jpg');
    await photo(3000, 2000).jpeg().toFile(big);
    const whole = await readers.read((await resultOf(big)).id, 'source');
    expect(await size(whole?.body)).toMatchObject({ width: 2048, height: 1365 });
    const heic = await readers.read((await resultOf(HEIC_FIXTURE)).id, 'source');
    expect(formatOf(heic?.body)).toBe('jpeg');
    expect(await size(heic?.body)).toMatchObject({ width: 640, height: 512 });
  });

  it('is nothing when the original is gone or is no longer the photo the result was made from', async () => {
    const path = join(temp.path, 'photo.jpg');
    await photo(400, 300).jpeg().toFile(path);
    const entry = await resultOf(path);
    await photo(400, 300, 30).jpeg().toFile(path);
    expect(await readers.read(entry.id, 'source')).toBeNull();
    unlinkSync(path);
    expect(await readers.read(entry.id, 'source')).toBeNull();
    expect(await readers.read('no-such-id', 'source')).toBeNull();
  });
});

describe('the crop sent is kept with the result', () => {
  let rig: EngineRig | null = null;
  afterEach(async () => {
    await rig?.close();
    rig = null;
  });

  it('a photo cut to the model’s aspect limit has source.crop in its sidecar, as intake placed it', async () => {
    rig = await startEngineRig(temp.path);
    // Upright 400x1200 (aspect 3): style repaint takes at most 1.5, so 400x600 of it is sent.
    const path = join(temp.path, 'tall.jpg');
    await halves(1200, 400).withMetadata({ orientation: 6 }).jpeg().toFile(path);
    const { batch, scanId } = await createBatch(rig, [{ path }], {
      kind: 'preset',
      styleIndex: 2,
    });
    const placed = rig.intake.scanRecords(scanId).records[0]?.crops?.['wanx-style-repaint-v1'];
    expect(placed).toMatchObject({ left: 0, width: 400, height: 600 });
    rig.engine.start();
    const r = rig;
    await until(() => r.store.getBatch(batch.id)?.state === 'done', 20_000, 'batch done');

    const [entry] = rig.library.find(await hashFile(path), 'preset:2');
    expect(entry?.adjustments).toEqual(expect.arrayContaining(['rotated', 'cropped']));
    const sidecar = parseSidecar(readFileSync(entry?.sidecarPath ?? '', 'utf8'));
    expect(sidecar?.source.crop).toEqual(placed);
    expect(entry?.sourceCrop).toEqual(placed);
    // Kept in the queue too, for a result saved after a restart.
    const [job] = rig.store.listJobs(batch.id).jobs;
    expect(rig.store.getJob(job?.id ?? '')?.crop).toEqual(placed);

    // The before/after pair lines up: the original as sent has the result's aspect.
    const served = await createResultReaders(rig.library, cacheDir).read(entry?.id ?? '', 'source');
    expect(await size(served?.body)).toMatchObject({ width: 400, height: 600 });
  }, 30_000);
});
