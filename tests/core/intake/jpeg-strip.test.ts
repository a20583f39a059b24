import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { stripJpegMetadata } from '../../../electron/core/intake/jpeg-strip';
import { GPS_EXIF, photo } from './images';

const XMP = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="39,54.45N"/></rdf:RDF></x:xmpmeta>`;

/** A marker segment (0xFF, marker, length, body) put right after SOI. */
function withSegment(jpeg: Buffer, marker: number, body: Buffer | string): Buffer {
  const data = typeof body === 'string' ? Buffer.from(body, 'latin1') : body;
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), head, data, jpeg.subarray(2)]);
}

/** The offset of the first segment with this marker (the walk's own rules are not used). */
function segmentAt(jpeg: Buffer, marker: number): number {
  let pos = 2;
  while (jpeg[pos + 1] !== marker) pos += 2 + jpeg.readUInt16BE(pos + 2);
  return pos;
}

const pixels = async (jpeg: Buffer) => (await sharp(jpeg).raw().toBuffer()).toString('base64');

let tagged: Buffer;

beforeAll(async () => {
  // Everything a phone leaves in a photo: EXIF with GPS and serials, XMP, an
  // sRGB profile, IPTC, a comment, and a video after the end of the image.
  const base = await photo(640, 480, 30)
    .withExif(GPS_EXIF)
    .withXmp(XMP)
    .withIccProfile('srgb')
    .jpeg({ quality: 85 })
    .toBuffer();
  const iptc = withSegment(base, 0xed, 'Photoshop 3.0\0IPTC: Beijing, 39.9N 116.4E');
  // JFIF 1.01 with a 2x2 RGB thumbnail of its own.
  const jfif = withSegment(iptc, 0xe0, 'JFIF\0\x01\x01\0\0\x01\0\x01\x02\x02THUMBNAILPIX');
  const commented = withSegment(jfif, 0xfe, 'shot at 39.9N 116.4E by SERIAL-8675309');
  tagged = Buffer.concat([commented, Buffer.from('ftypmp42 MotionPhoto video bytes')]);
});

describe('stripJpegMetadata', () => {
  it('drops EXIF/GPS, XMP, IPTC, comments and trailing data; the pixels are the same bytes', async () => {
    const meta = await sharp(tagged).metadata();
    expect(meta.exif && meta.xmp && meta.icc).toBeTruthy();

    const out = stripJpegMetadata(tagged);
    expect(out).not.toBeNull();
    const jpeg = out!.jpeg;
    for (const secret of [
      'Exif\0\0',
      'SERIAL-8675309',
      'RestyleTestCam',
      'GPSLatitude',
      'ns.adobe.com',
      'Photoshop 3.0',
      '39.9N',
      'MotionPhoto',
      'THUMBNAILPIX',
    ])
      expect(jpeg.includes(secret), secret).toBe(false);
    const after = await sharp(jpeg).metadata();
    expect(after).toMatchObject({ width: 640, height: 480, format: 'jpeg' });
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(after.comments).toBeUndefined();
    // The sRGB profile says how to read the colours: kept.
    expect(after.icc?.equals(meta.icc!)).toBe(true);
    // Not re-encoded: the decoded pixels are identical.
    expect(await pixels(jpeg)).toBe(await pixels(tagged));
    expect(out!.frame).toEqual({ width: 640, height: 480, components: 3, progressive: false });
  });

  it('keeps progressive and greyscale JPEGs as they are, pixels identical', async () => {
    const progressive = await photo(800, 600, 20)
      .withExif(GPS_EXIF)
      .jpeg({ progressive: true })
      .toBuffer();
    const grey = await photo(500, 300, 20)
      .toColourspace('b-w')
      .withExif(GPS_EXIF)
      .jpeg()
      .toBuffer();
    for (const [original, frame] of [
      [progressive, { width: 800, height: 600, components: 3, progressive: true }],
      [grey, { width: 500, height: 300, components: 1, progressive: false }],
    ] as const) {
      const out = stripJpegMetadata(original);
      expect(out?.frame).toEqual(frame);
      expect(out!.jpeg.includes('SERIAL-8675309')).toBe(false);
      expect(out!.jpeg.length).toBeLessThan(original.length);
      expect(await pixels(out!.jpeg)).toBe(await pixels(original));
    }
  });

  it('refuses what it does not fully understand, so the photo is re-encoded', async () => {
    const plain = await photo(320, 240, 20).jpeg().toBuffer();
    expect(stripJpegMetadata(plain)).not.toBeNull();
    const refused = {
      truncated: plain.subarray(0, Math.floor(plain.length * 0.7)),
      'cut just before the end marker': plain.subarray(0, plain.length - 2),
      'not a JPEG': Buffer.from('hello, this is not a photo'),
      'a segment running past the end': (() => {
        const bad = Buffer.from(plain);
        bad.writeUInt16BE(0xfff0, segmentAt(bad, 0xdb) + 2);
        return bad;
      })(),
      'arithmetic coding (SOF9)': (() => {
        const bad = Buffer.from(plain);
        bad[segmentAt(bad, 0xc0) + 1] = 0xc9;
        return bad;
      })(),
      '12-bit samples': (() => {
        const bad = Buffer.from(plain);
        bad[segmentAt(bad, 0xc0) + 4] = 12;
        return bad;
      })(),
      'an unknown marker': withSegment(plain, 0xf1, 'JPG1'),
      'a Display P3 profile': await photo(320, 240).withIccProfile('p3').jpeg().toBuffer(),
      CMYK: await photo(320, 240).toColourspace('cmyk').jpeg().toBuffer(),
    };
    for (const [what, bytes] of Object.entries(refused))
      expect(stripJpegMetadata(bytes), what).toBeNull();
  });
});
