// A child of bench/intake.bench.ts (bundled by it, run by plain Node): a
// plain sharp script doing the steps of Restyle's intake with none of its
// code, four photos at a time as Restyle's intake works: per photo, its
// SHA-256, its header, the 1024 px WebP from the photo (shrink-on-load) and
// the 320 px one from that, both written out, and the upload as a data URI:
// the file's own bytes when the photo needs nothing, else decoded, turned
// upright and encoded at quality 90. Prints one JSON line.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { report } from './intake-report';

const [out = '', ...paths] = process.argv.slice(2);

const sha256 = (path: string) =>
  new Promise<string>((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });

let sentAsIs = 0;
let uploadBytes = 0;
async function intakeOf(path: string): Promise<void> {
  const hash = await sha256(path);
  const { orientation = 1 } = await sharp(path).metadata();
  const box = { fit: 'inside', withoutEnlargement: true } as const;
  const large = await sharp(path).rotate().resize(1024, 1024, box).toColourspace('srgb')
    .webp({ quality: 80, effort: 2 }).toBuffer(); // prettier-ignore
  await writeFile(join(out, `${hash}-1024.webp`), large);
  const small = await sharp(large)
    .resize(320, 320, box)
    .webp({ quality: 75, effort: 2 })
    .toBuffer();
  await writeFile(join(out, `${hash}-320.webp`), small);
  if (orientation === 1) sentAsIs += 1;
  const upload =
    orientation === 1
      ? await readFile(path)
      : await sharp(path).rotate().toColourspace('srgb')
          .jpeg({ quality: 90, chromaSubsampling: '4:2:0', optimiseCoding: false }).toBuffer(); // prettier-ignore
  uploadBytes += `data:image/jpeg;base64,${upload.toString('base64')}`.length;
}

let next = 0;
const worker = async () => {
  while (next < paths.length) await intakeOf(paths[next++]!);
};
await Promise.all([worker(), worker(), worker(), worker()]);
report({ photos: paths.length, sentAsIs, uploadBytes });
