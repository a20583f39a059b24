import { crc32 } from 'node:zlib';
import type { ResultFormat } from './result-image';

/** Our XMP namespace for what Dublin Core and xmp: have no property for. */
export const RESTYLE_XMP_NS = 'https://restyle.app/ns/xmp/1.0/';

export interface XmpFields {
  /** `xmp:CreatorTool`, e.g. `Restyle 0.1.0`. */
  creatorTool: string;
  /** `xmp:CreateDate` (ISO). */
  createDate: string;
  /** `dc:description`, e.g. `Anime · wanx-style-repaint-v1`. */
  description: string;
  /** `dc:source`: the original photo's path. */
  source: string;
  /** `restyle:*` properties (plain text attributes). */
  restyle: Record<string, string>;
}

const escapeXml = (text: string): string =>
  text.replace(
    /[<>&"'\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, // eslint-disable-line no-control-regex
    (char) =>
      ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char] ?? '',
  );

/** A standard XMP packet (Lightroom, darktable, digiKam and exiftool read it). */
export function buildXmpPacket(fields: XmpFields): string {
  const attributes = Object.entries(fields.restyle)
    .map(([name, value]) => `\n    restyle:${name}="${escapeXml(value)}"`)
    .join('');
  return [
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '  <rdf:Description rdf:about=""',
    '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    '    xmlns:dc="http://purl.org/dc/elements/1.1/"',
    `    xmlns:restyle="${RESTYLE_XMP_NS}"`,
    `    xmp:CreatorTool="${escapeXml(fields.creatorTool)}"`,
    `    xmp:CreateDate="${escapeXml(fields.createDate)}"${attributes}>`,
    '   <dc:description><rdf:Alt>',
    `    <rdf:li xml:lang="x-default">${escapeXml(fields.description)}</rdf:li>`,
    '   </rdf:Alt></dc:description>',
    `   <dc:source>${escapeXml(fields.source)}</dc:source>`,
    '  </rdf:Description>',
    ' </rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n');
}

const JPEG_XMP_HEADER = Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** JPEG: an APP1 segment after SOI and a leading JFIF APP0 (which must stay first). */
function embedJpeg(image: Buffer, packet: Buffer): Buffer | null {
  const payload = Buffer.concat([JPEG_XMP_HEADER, packet]);
  if (payload.length + 2 > 0xffff || image[0] !== 0xff || image[1] !== 0xd8) return null;
  let at = 2;
  if (image[2] === 0xff && image[3] === 0xe0) at = 4 + image.readUInt16BE(4);
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xffe1, 0);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([image.subarray(0, at), header, payload, image.subarray(at)]);
}

/** PNG: an uncompressed iTXt chunk `XML:com.adobe.xmp` right after IHDR. */
function embedPng(image: Buffer, packet: Buffer): Buffer | null {
  if (!image.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
  if (image.toString('latin1', 12, 16) !== 'IHDR') return null;
  const afterIhdr = 8 + 12 + image.readUInt32BE(8);
  // keyword NUL, compression flag 0, method 0, empty language NUL, empty translated keyword NUL
  const data = Buffer.concat([Buffer.from('XML:com.adobe.xmp\0\0\0\0\0', 'latin1'), packet]);
  const typeAndData = Buffer.concat([Buffer.from('iTXt', 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData) >>> 0);
  return Buffer.concat([
    image.subarray(0, afterIhdr),
    length,
    typeAndData,
    crc,
    image.subarray(afterIhdr),
  ]);
}

/**
 * The image with the packet embedded, byte for byte otherwise: the pixels the
 * user paid for are never re-encoded (sharp's `withXmp` would recompress a
 * JPEG). Null when the format has no place for it here (WebP): the JSON
 * sidecar then carries the provenance alone.
 */
export function embedXmp(image: Buffer, format: ResultFormat, packet: string): Buffer | null {
  const bytes = Buffer.from(packet, 'utf8');
  if (format === 'jpeg') return embedJpeg(image, bytes);
  if (format === 'png') return embedPng(image, bytes);
  return null;
}

const ITXT_XMP_KEYWORD = Buffer.from('XML:com.adobe.xmp\0', 'latin1');

/** Where an XMP packet sits in an image (a PNG iTXt chunk or a JPEG APP1 segment). */
export interface XmpLocation {
  /** Byte offsets of the whole chunk or segment (length, type and CRC included). */
  start: number;
  end: number;
  /** The packet's text. */
  packet: string;
}

/** PNG: the `XML:com.adobe.xmp` iTXt chunk (uncompressed, as we and most tools write it). */
function locatePng(image: Buffer): XmpLocation | null {
  let at = 8;
  while (at + 12 <= image.length) {
    const length = image.readUInt32BE(at);
    const type = image.toString('latin1', at + 4, at + 8);
    const end = at + 12 + length;
    if (end > image.length || type === 'IDAT' || type === 'IEND') return null;
    const data = image.subarray(at + 8, at + 8 + length);
    if (type === 'iTXt' && data.subarray(0, ITXT_XMP_KEYWORD.length).equals(ITXT_XMP_KEYWORD)) {
      // keyword NUL, compression flag, method, language NUL, translated keyword NUL, text
      let text = ITXT_XMP_KEYWORD.length + 2;
      for (let nul = 0; nul < 2 && text < data.length; text++) if (data[text] === 0) nul++;
      if (data[ITXT_XMP_KEYWORD.length] !== 0) return null; // compressed: not ours
      return { start: at, end, packet: data.toString('utf8', text) };
    }
    at = end;
  }
  return null;
}

/** JPEG: the APP1 segment with the XMP namespace header, before the scan data. */
function locateJpeg(image: Buffer): XmpLocation | null {
  let at = 2;
  while (at + 4 <= image.length && image[at] === 0xff) {
    const marker = image[at + 1] ?? 0;
    if (marker === 0xda || marker === 0xd9) return null;
    const end = at + 2 + image.readUInt16BE(at + 2);
    if (end > image.length) return null;
    const payload = image.subarray(at + 4, end);
    if (marker === 0xe1 && payload.subarray(0, JPEG_XMP_HEADER.length).equals(JPEG_XMP_HEADER))
      return { start: at, end, packet: payload.toString('utf8', JPEG_XMP_HEADER.length) };
    at = end;
  }
  return null;
}

/** The XMP packet embedded in a PNG or JPEG image, and where; null when it has none. */
export function locateXmp(image: Buffer): XmpLocation | null {
  if (image.subarray(0, 8).equals(PNG_SIGNATURE)) return locatePng(image);
  if (image[0] === 0xff && image[1] === 0xd8) return locateJpeg(image);
  return null;
}

/**
 * The image without its XMP packet: for a result, the bytes as downloaded
 * (`embedXmp` inserted the packet byte for byte), whose SHA-256 the sidecar
 * keeps as `result.sha256`, even after the packet was rewritten (a rating).
 */
export function withoutXmp(image: Buffer): Buffer {
  const found = locateXmp(image);
  return found ? Buffer.concat([image.subarray(0, found.start), image.subarray(found.end)]) : image;
}

/** A `restyle:<name>` attribute of a packet we wrote (`ResultId`), or null. */
export function restyleXmpAttribute(packet: string, name: string): string | null {
  const match = new RegExp(`\\brestyle:${name}="([^"]*)"`).exec(packet);
  if (!match?.[1]) return null;
  return match[1].replace(
    /&(lt|gt|amp|quot|apos);/g,
    (_, entity: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[entity] ?? '',
  );
}

/** The XMP basic namespace (`xmp:Rating`, `xmp:CreatorTool`). */
export const XMP_NS = 'http://ns.adobe.com/xap/1.0/';

/** Where the first `rdf:Description` start tag ends (its `>` or `/>`), quotes skipped; -1 without one. */
function descriptionTagEnd(packet: string): number {
  const start = packet.indexOf('<rdf:Description');
  if (start < 0) return -1;
  let quote = '';
  for (let at = start; at < packet.length; at++) {
    const char = packet[at];
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '>') return packet[at - 1] === '/' ? at - 1 : at;
  }
  return -1;
}

/**
 * The packet with the simple property `prefix:name` set to `value`: an
 * attribute or element form already there is rewritten, else it becomes an
 * attribute of the first `rdf:Description` (declaring the namespace there
 * when the packet does not). Null when the packet has no `rdf:Description`.
 */
export function setXmpProperty(
  packet: string,
  property: { prefix: string; name: string; namespace: string },
  value: string,
): string | null {
  const qname = `${property.prefix}:${property.name}`;
  const text = escapeXml(value);
  const attribute = new RegExp(`(\\s${qname}\\s*=\\s*)("[^"]*"|'[^']*')`);
  if (attribute.test(packet))
    return packet.replace(attribute, (_, head: string) => `${head}"${text}"`);
  const element = new RegExp(`(<${qname}>)[^<]*(</${qname}>)`);
  if (element.test(packet))
    return packet.replace(element, (_, open: string, close: string) => `${open}${text}${close}`);
  const end = descriptionTagEnd(packet);
  if (end < 0) return null;
  const declared = packet.includes(`xmlns:${property.prefix}=`);
  const added = `${declared ? '' : `\n    xmlns:${property.prefix}="${property.namespace}"`}\n    ${qname}="${text}"`;
  return packet.slice(0, end) + added + packet.slice(end);
}

/**
 * The image with `packet` as its XMP, in place of the one it had: the old
 * packet taken out (leaving the bytes as downloaded, see `withoutXmp`) and the
 * new one embedded where `embedXmp` puts it. Null where the format has no place for it.
 */
export const replaceXmp = (image: Buffer, format: ResultFormat, packet: string): Buffer | null =>
  embedXmp(withoutXmp(image), format, packet);
