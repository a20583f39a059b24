import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '../../../shared/models';
import { createIntakeService } from '../../../electron/core/intake/intake-service';
import { IntakeError } from '../../../electron/core/intake/intake-error';
import { GPS_EXIF, HEIC_FIXTURE, halves, noise, photo, tempDir, writeBmp } from './images';

const repaint = MODELS['wanx-style-repaint-v1'].limits;
let dir: string;
const intake = () => createIntakeService({ cacheDir: join(dir, 'cache') });
const prepare = (
  name: string,
  model: 'wanx-style-repaint-v1' | 'wanx2.1-imageedit' = 'wanx-style-repaint-v1',
  crop = true,
) => intake().prepare(join(dir, name), { model, crop });
const reasonOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IntakeError);
  return (error as IntakeError).reason;
};
/** Mean RGB of a region of a JPEG. */
const meanOf = async (jpeg: Buffer, left: number, top: number, width: number, height: number) => {
  const { data, info } = await sharp(jpeg)
    .extract({ left, top, width, height })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const sums = [0, 0, 0];
  for (let i = 0; i < data.length; i += info.channels)
    for (let c = 0; c < 3; c += 1) sums[c]! += data[i + c]!;
  return sums.map((sum) => Math.round(sum / (width * height)));
};

beforeAll(async () => {
  dir = await tempDir();
  await halves(600, 400).withMetadata({ orientation: 6 }).jpeg().toFile(join(dir, 'rotated.jpg'));
  await photo(8000, 6000, 4).jpeg({ quality: 80 }).toFile(join(dir, 'huge.jpg'));
  await noise(4400, 3000).png({ compressionLevel: 1 }).toFile(join(dir, 'big.png'));
  await photo(900, 600).toColourspace('cmyk').jpeg().toFile(join(dir, 'cmyk.jpg'));
  await photo(900, 600).toColourspace('rgb16').png().toFile(join(dir, 'deep.png'));
  await photo(2000, 500).jpeg().toFile(join(dir, 'pano.jpg'));
  await photo(2400, 600).jpeg().toFile(join(dir, 'pano-edit.jpg'));
  await photo(120, 120).jpeg().toFile(join(dir, 'tiny.jpg'));
  await photo(600, 400).withExif(GPS_EXIF).jpeg().toFile(join(dir, 'gps.jpg'));
  const whole = await photo(800, 600, 40).jpeg().toBuffer();
  await writeFile(join(dir, 'truncated.jpg'), whole.subarray(0, Math.floor(whole.length * 0.6)));
  await writeFile(join(dir, 'empty.jpg'), Buffer.alloc(0));
  await writeFile(join(dir, 'notes.jpg'), 'this is a text file, not a photo\n');
  // Transparent PNG: a red square on a fully transparent background.
  await sharp({
    create: { width: 600, height: 400, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
  })
    .composite([
      {
        input: { create: { width: 100, height: 100, channels: 4, background: '#ff0000' } },
        left: 250,
        top: 150,
      },
    ])
    .png()
    .toFile(join(dir, 'alpha.png'));
  await photo(600, 400).webp().toFile(join(dir, 'photo.webp'));
  await photo(600, 400).tiff().toFile(join(dir, 'photo.tiff'));
  await photo(600, 400).gif().toFile(join(dir, 'photo.gif'));
  await photo(600, 400).avif({ effort: 0 }).toFile(join(dir, 'photo.avif'));
  await writeBmp(join(dir, 'photo.bmp'), 600, 400);
});

describe('prepare', () => {
  it('turns an EXIF-rotated JPEG upright', async () => {
    const out = await prepare('rotated.jpg');
    expect([out.width, out.height]).toEqual([400, 600]);
    expect(out.adjustments).toContain('rotated');
    // Orientation 6: the stored top (red) ends up on the right.
    const [lr, , lb] = await meanOf(out.jpeg, 20, 250, 100, 100);
    const [rr, , rb] = await meanOf(out.jpeg, 280, 250, 100, 100);
    expect(lb).toBeGreaterThan(200);
    expect(lr).toBeLessThan(50);
    expect(rr).toBeGreaterThan(200);
    expect(rb).toBeLessThan(50);
    expect((await sharp(out.jpeg).metadata()).orientation).toBeUndefined();
  });

  it('sends an upright sRGB JPEG within the limits as it is, only its metadata stripped', async () => {
    const original = await readFile(join(dir, 'gps.jpg'));
    const out = await prepare('gps.jpg');
    expect(out.quality).toBeNull(); // not re-encoded
    expect(out.adjustments).toEqual([]);
    expect([out.width, out.height]).toEqual([600, 400]);
    expect(out.jpeg.length).toBeLessThan(original.length);
    expect(out.dataUri).toBe(`data:image/jpeg;base64,${out.jpeg.toString('base64')}`);
    // The same pixels, bit for bit: nothing was decoded and encoded again.
    const raw = (jpeg: Buffer) => sharp(jpeg).raw().toBuffer();
    expect((await raw(out.jpeg)).equals(await raw(original))).toBe(true);
  });

  it('re-encodes with standard Huffman tables (no optimised coding: cheap bytes)', async () => {
    const out = await prepare('rotated.jpg');
    expect(out.quality).toBe(90);
    // The DC luminance table of ITU T.81 Annex K, as libjpeg writes it without optimise_coding.
    const annexK = Buffer.from([
      0,
      0,
      1,
      5,
      1,
      1,
      1,
      1,
      1,
      1,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      ...Array(12).keys(),
    ]);
    expect(out.jpeg.includes(annexK)).toBe(true);
  });

  it('fits an 8000x6000 photo under the maximum size', async () => {
    const out = await prepare('huge.jpg');
    expect([out.width, out.height]).toEqual([4320, 3240]);
    expect(out.adjustments).toContain('downscaled');
    const meta = await sharp(out.jpeg).metadata();
    expect([meta.width, meta.height]).toEqual([4320, 3240]);
  });

  it('fits a PNG over 10 MB under the byte limit by searching the quality', async () => {
    expect((await stat(join(dir, 'big.png'))).size).toBeGreaterThan(10 * 1024 * 1024);
    const out = await prepare('big.png');
    expect(out.dataUri.length).toBeLessThan(repaint.maxBytes);
    expect(out.dataUri.startsWith('data:image/jpeg;base64,')).toBe(true);
    expect(Buffer.from(out.dataUri.split(',')[1] ?? '', 'base64').equals(out.jpeg)).toBe(true);
    expect(out.adjustments).toContain('recompressed');
    expect(out.quality).toBeLessThan(90);
    expect(out.quality).toBeGreaterThanOrEqual(50);
  }, 60_000);

  it('converts a CMYK JPEG and a 16-bit PNG to 8-bit sRGB', async () => {
    const source = await sharp(join(dir, 'cmyk.jpg')).metadata();
    expect(source.space).toBe('cmyk');
    const deep = await sharp(join(dir, 'deep.png')).metadata();
    expect(deep.depth).toBe('ushort');
    for (const name of ['cmyk.jpg', 'deep.png']) {
      const out = await prepare(name);
      const meta = await sharp(out.jpeg).metadata();
      expect(meta.space).toBe('srgb');
      expect(meta.channels).toBe(3);
      expect(meta.depth).toBe('uchar');
      expect(out.adjustments).toContain('converted_to_srgb');
    }
  });

  it('reads a HEIC file', async () => {
    const out = await intake().prepare(HEIC_FIXTURE, { model: 'wanx-style-repaint-v1' });
    expect([out.width, out.height]).toEqual([640, 512]);
    // The fixture is blue with a red rectangle at 60,80.
    const [r, , b] = await meanOf(out.jpeg, 100, 120, 40, 40);
    expect(r).toBeGreaterThan(180);
    expect(b).toBeLessThan(80);
  });

  it.each(['photo.webp', 'photo.tiff', 'photo.gif', 'photo.avif', 'photo.bmp'])(
    'reads %s',
    async (name) => {
      const out = await prepare(name);
      expect([out.width, out.height]).toEqual([600, 400]);
      expect((await sharp(out.jpeg).metadata()).format).toBe('jpeg');
    },
  );

  it('reads BMP pixels in the right order', async () => {
    const out = await prepare('photo.bmp');
    // Written as A=255 B=40 G=160 R=200.
    const [r, g, b] = await meanOf(out.jpeg, 100, 100, 50, 50);
    expect(Math.abs(r! - 200)).toBeLessThan(6);
    expect(Math.abs(g! - 160)).toBeLessThan(6);
    expect(Math.abs(b! - 40)).toBeLessThan(6);
  });

  it('flattens transparency onto white', async () => {
    const out = await prepare('alpha.png');
    expect(out.adjustments).toContain('flattened');
    expect(await meanOf(out.jpeg, 10, 10, 50, 50)).toEqual([255, 255, 255]);
    const [r, g] = await meanOf(out.jpeg, 270, 170, 50, 50);
    expect(r).toBeGreaterThan(240);
    expect(g).toBeLessThan(15);
  });

  it('crops a 4:1 panorama to the aspect limit and flags it', async () => {
    const out = await prepare('pano.jpg');
    expect([out.width, out.height]).toEqual([750, 500]);
    expect(out.adjustments).toContain('cropped');
    expect(out.original).toEqual({ width: 2000, height: 500 });
  });

  it('sends a panorama uncropped when the setting says so', async () => {
    const out = await prepare('pano.jpg', 'wanx-style-repaint-v1', false);
    expect([out.width, out.height]).toEqual([2000, 500]);
    expect(out.adjustments).not.toContain('cropped');
    expect(out.note?.code).toBe('aspect_sent_uncropped');
  });

  it('keeps per-model limits: imageedit takes 4:1 as is', async () => {
    const out = await prepare('pano-edit.jpg', 'wanx2.1-imageedit');
    expect([out.width, out.height]).toEqual([2400, 600]);
    expect(out.adjustments).not.toContain('cropped');
  });

  it('rejects a 120 px image instead of upscaling it', async () => {
    expect(await reasonOf(prepare('tiny.jpg'))).toEqual({
      code: 'too_small',
      params: { width: 120, height: 120, min: 256 },
    });
  });

  it('rejects a truncated JPEG, an empty file and a text file named .jpg', async () => {
    expect((await reasonOf(prepare('truncated.jpg'))).code).toBe('truncated');
    expect((await reasonOf(prepare('empty.jpg'))).code).toBe('empty');
    expect((await reasonOf(prepare('notes.jpg'))).code).toBe('not_image');
  });

  it('strips GPS and camera serials from the upload, and never touches the original', async () => {
    const before = await readFile(join(dir, 'gps.jpg'));
    const exif = (await sharp(before).metadata()).exif;
    expect(exif?.includes(Buffer.from([0x25, 0x88]))).toBe(true); // GPS IFD pointer, little-endian
    expect(before.includes('SERIAL-8675309')).toBe(true);

    const out = await prepare('gps.jpg');
    const meta = await sharp(out.jpeg).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(out.jpeg.includes('SERIAL-8675309')).toBe(false);
    expect(out.jpeg.includes('RestyleTestCam')).toBe(false);
    expect(out.jpeg.includes('Exif\0\0')).toBe(false);
    expect((await readFile(join(dir, 'gps.jpg'))).equals(before)).toBe(true);
  });
});
