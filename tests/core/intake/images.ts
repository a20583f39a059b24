// Real images for the intake tests, generated with sharp (and bmp-ts for BMP).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodeBmp } from 'bmp-ts';
import sharp from 'sharp';

export const HEIC_FIXTURE = join(import.meta.dirname, '../../fixtures/intake/photo-640x512.heic');

export const tempDir = (prefix = 'restyle-intake-') => mkdtemp(join(tmpdir(), prefix));

/** A photo-like image: a flat colour with a little noise (so JPEGs have a realistic size). */
export const photo = (width: number, height: number, sigma = 8) =>
  sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#6a8caf',
      noise: { type: 'gaussian', mean: 120, sigma },
    },
  });

/** Pure noise: incompressible, to push byte limits. */
export function noise(width: number, height: number, channels: 3 | 4 = 3) {
  const data = Buffer.alloc(width * height * channels);
  let x = 2463534242; // xorshift32: deterministic, incompressible
  for (let i = 0; i < data.length; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    data[i] = x >>> 24;
  }
  if (channels === 4) for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return sharp(data, { raw: { width, height, channels } });
}

/** Top half red, bottom half blue, stored landscape. */
export const halves = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#0000ff' } }).composite([
    {
      input: { create: { width, height: height / 2, channels: 3, background: '#ff0000' } },
      top: 0,
      left: 0,
    },
  ]);

export async function writeBmp(path: string, width: number, height: number): Promise<void> {
  // bmp-ts takes ABGR bytes.
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = 255;
    data[i + 1] = 40;
    data[i + 2] = 160;
    data[i + 3] = 200;
  }
  await writeFile(path, encodeBmp({ data, width, height, bitPP: 24 }).data);
}

export const GPS_EXIF = {
  IFD0: { Make: 'RestyleTestCam', Model: 'RT-1' },
  IFD2: { BodySerialNumber: 'SERIAL-8675309' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '39/1 54/1 27/1',
    GPSLongitudeRef: 'E',
    GPSLongitude: '116/1 23/1 30/1',
  },
};
