/**
 * A JPEG's metadata taken out without decoding it: a walk over its marker
 * segments that copies the coding segments (quantisation and Huffman tables,
 * restart interval, the frame, each scan with its entropy-coded data as is)
 * and the colour ones (JFIF without its thumbnail, Adobe's colour transform,
 * an sRGB ICC profile), and drops everything else: EXIF (GPS, serials, its
 * thumbnail), XMP, IPTC, comments, JFXX thumbnails, MPF and whatever follows
 * the end of the image (motion photos' videos, second pictures).
 *
 * The decoded pixels are those of the original, bit for bit. Anything the
 * walk does not fully understand gives null, and the caller re-encodes:
 * a truncated file, a segment running past the end, a marker out of place,
 * a frame other than 8-bit baseline (SOF0) or progressive Huffman (SOF2)
 * (no arithmetic coding, lossless, hierarchical or 12-bit: the service's
 * decoder is not known to take them), CMYK/YCCK or RGB-coded colour, a colour
 * profile other than sRGB.
 */

export interface JpegFrame {
  width: number;
  height: number;
  /** 1: grey, 3: YCbCr. */
  components: 1 | 3;
  progressive: boolean;
}

export interface StrippedJpeg {
  jpeg: Buffer;
  frame: JpegFrame;
}

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const SOF0 = 0xc0;
const SOF2 = 0xc2;
const DHT = 0xc4;
const DQT = 0xdb;
const DRI = 0xdd;
const COM = 0xfe;
const APP0 = 0xe0;
const APP2 = 0xe2;
const APP14 = 0xee;
const APP15 = 0xef;

const startsWith = (body: Buffer, tag: string) =>
  body.length >= tag.length && body.toString('latin1', 0, tag.length) === tag;

/** Metadata stripped, or null when the file is not one this walk fully understands. */
export function stripJpegMetadata(file: Buffer): StrippedJpeg | null {
  if (file.length < 4 || file[0] !== 0xff || file[1] !== SOI) return null;
  const kept: Buffer[] = [file.subarray(0, 2)];
  const icc: { seq: number; count: number; data: Buffer }[] = [];
  let frame: JpegFrame | null = null;
  let componentIds: number[] = [];
  let jfif = false;
  let adobeTransform: number | null = null;
  let scans = 0;
  let pos = 2;
  for (;;) {
    if (pos + 1 >= file.length || file[pos] !== 0xff) return null;
    // Fill bytes (0xFF) may stand before a marker.
    while (pos + 1 < file.length && file[pos + 1] === 0xff) pos += 1;
    if (pos + 1 >= file.length) return null;
    const marker = file[pos + 1]!;
    if (marker === EOI) {
      // Anything after the end of the image is not the image.
      kept.push(file.subarray(pos, pos + 2));
      break;
    }
    if (pos + 4 > file.length) return null;
    const length = file.readUInt16BE(pos + 2);
    const end = pos + 2 + length;
    if (length < 2 || end > file.length) return null;
    const segment = file.subarray(pos, end);
    const body = file.subarray(pos + 4, end);
    if (marker === SOF0 || marker === SOF2) {
      if (frame || scans > 0) return null;
      frame = parseFrame(body, marker === SOF2);
      if (!frame) return null;
      componentIds = [...body.subarray(6)].filter((_, i) => i % 3 === 0);
      kept.push(segment);
    } else if (marker === DQT || marker === DHT || marker === DRI) {
      kept.push(segment);
    } else if (marker === SOS) {
      if (!frame) return null;
      kept.push(segment);
      // The entropy-coded data runs to the next marker: 0xFF 0x00 is a stuffed
      // byte, 0xFF 0xD0-0xD7 a restart marker, both part of the data.
      let at = end;
      for (;;) {
        at = file.indexOf(0xff, at);
        if (at < 0 || at + 1 >= file.length) return null; // truncated
        const next = file[at + 1]!;
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) at += 2;
        else break;
      }
      kept.push(file.subarray(end, at));
      scans += 1;
      pos = at;
      continue;
    } else if (marker === APP0) {
      // JFIF says how to read the colour; JFXX and others carry thumbnails.
      if (startsWith(body, 'JFIF\0')) {
        if (body.length < JFIF_BODY) return null;
        jfif = true;
        kept.push(jfifWithoutThumbnail(body));
      }
    } else if (marker === APP2 && startsWith(body, 'ICC_PROFILE\0')) {
      if (body.length < 14) return null;
      icc.push({ seq: body[12]!, count: body[13]!, data: body.subarray(14) });
      kept.push(segment);
    } else if (marker === APP14 && startsWith(body, 'Adobe')) {
      if (body.length < 12) return null;
      adobeTransform = body[11]!;
      kept.push(segment);
    } else if ((marker >= APP0 && marker <= APP15) || marker === COM) {
      // EXIF (GPS), XMP, IPTC, MPF, maker notes, comments: metadata, dropped.
    } else {
      // DAC (arithmetic coding), DNL, SOF1/3/5-15, JPG extensions, stray RST…
      return null;
    }
    pos = end;
  }
  if (!frame || scans === 0) return null;
  if (!colourIsYCbCrOrGrey(frame, componentIds, jfif, adobeTransform)) return null;
  if (icc.length > 0 && !isSrgbProfile(joinIcc(icc))) return null;
  return { jpeg: Buffer.concat(kept), frame };
}

/** JFIF's own fields: identifier, version, units, density, thumbnail size. */
const JFIF_BODY = 14;

/** The JFIF segment with its fields only: the thumbnail it may carry is dropped. */
function jfifWithoutThumbnail(body: Buffer): Buffer {
  const segment = Buffer.alloc(4 + JFIF_BODY);
  segment.writeUInt16BE(0xff00 | APP0, 0);
  segment.writeUInt16BE(2 + JFIF_BODY, 2);
  body.copy(segment, 4, 0, JFIF_BODY);
  segment[4 + 12] = 0; // thumbnail width
  segment[4 + 13] = 0; // thumbnail height
  return segment;
}

function parseFrame(body: Buffer, progressive: boolean): JpegFrame | null {
  if (body.length < 6) return null;
  const precision = body[0];
  const height = body.readUInt16BE(1);
  const width = body.readUInt16BE(3);
  const components = body[5];
  // A height of 0 defers it to a DNL marker, which is refused.
  if (precision !== 8 || height === 0 || width === 0) return null;
  if (components !== 1 && components !== 3) return null;
  if (body.length !== 6 + 3 * components) return null;
  return { width, height, components, progressive };
}

/**
 * Three components are YCbCr unless Adobe's marker says otherwise (transform
 * 0: RGB) or, with neither JFIF nor Adobe, the components are named R, G, B
 * (libjpeg's rule).
 */
function colourIsYCbCrOrGrey(
  frame: JpegFrame,
  componentIds: number[],
  jfif: boolean,
  adobeTransform: number | null,
): boolean {
  if (frame.components === 1) return true;
  if (adobeTransform !== null) return adobeTransform === 1;
  if (jfif) return true;
  return String.fromCharCode(...componentIds) !== 'RGB';
}

/** An ICC profile split over APP2 segments, joined in order; empty when the chunks do not add up. */
function joinIcc(chunks: { seq: number; count: number; data: Buffer }[]): Buffer {
  const count = chunks[0]!.count;
  const sorted = [...chunks].sort((a, b) => a.seq - b.seq);
  const whole =
    sorted.length === count && sorted.every((c, i) => c.count === count && c.seq === i + 1);
  return whole ? Buffer.concat(sorted.map((c) => c.data)) : Buffer.alloc(0);
}

/**
 * An RGB display profile whose description names sRGB ("sRGB IEC61966-2.1",
 * "sRGB built-in", Google's and Apple's compact "sRGB"…). Anything else (Display
 * P3, Adobe RGB, a grey gamma) is converted by a re-encode instead.
 */
export function isSrgbProfile(profile: Buffer): boolean {
  if (profile.length < 132 || profile.toString('latin1', 16, 20) !== 'RGB ') return false;
  const tags = profile.readUInt32BE(128);
  for (let i = 0; i < tags; i += 1) {
    const entry = 132 + i * 12;
    if (entry + 12 > profile.length) return false;
    if (profile.toString('latin1', entry, entry + 4) !== 'desc') continue;
    const offset = profile.readUInt32BE(entry + 4);
    const size = profile.readUInt32BE(entry + 8);
    if (offset + size > profile.length || size < 12) return false;
    return /sRGB/.test(describe(profile.subarray(offset, offset + size)));
  }
  return false;
}

/** The text of a `desc` (ICC v2: ASCII) or `mluc` (v4: UTF-16BE records) tag. */
function describe(tag: Buffer): string {
  const type = tag.toString('latin1', 0, 4);
  if (type === 'desc') {
    const length = tag.readUInt32BE(8);
    return 12 + length <= tag.length ? tag.toString('latin1', 12, 12 + length) : '';
  }
  if (type !== 'mluc' || tag.length < 16) return '';
  const records = tag.readUInt32BE(8);
  const recordSize = tag.readUInt32BE(12);
  let text = '';
  for (let i = 0; i < records; i += 1) {
    const at = 16 + i * recordSize;
    if (recordSize < 12 || at + 12 > tag.length) break;
    const length = tag.readUInt32BE(at + 4) & ~1;
    const offset = tag.readUInt32BE(at + 8);
    if (offset + length > tag.length) break;
    text += Buffer.from(tag.subarray(offset, offset + length))
      .swap16()
      .toString('utf16le');
  }
  return text;
}
