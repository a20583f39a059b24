// A child of bench/intake.bench.ts (bundled by it, run by plain Node):
// Restyle's intake of the photos named on the command line, as the app does
// it: the scan (hash, probe, the two gallery thumbnails and the probe cache,
// written to a fresh cache folder), then the upload of each photo, built as
// the job engine builds it. Prints one JSON line.
import { createIntakeService } from '../../electron/core/intake/intake-service';
import { mapConcurrent } from '../../electron/core/intake/concurrent-map';
import { report } from './intake-report';

const MODEL = 'wanx-style-repaint-v1';
const [cacheDir = '', ...paths] = process.argv.slice(2);

async function* each<T>(items: readonly T[]) {
  yield* items;
}

const intake = createIntakeService({ cacheDir });
const scanned: string[] = [];
for await (const record of intake.scan(paths, { model: MODEL })) {
  if (record.status === 'rejected') throw new Error(`${record.path}: ${record.reason?.code}`);
  scanned.push(record.path);
}
let sentAsIs = 0;
let uploadBytes = 0;
// As many uploads at once as the scan works on photos (intake's default, 4).
for await (const upload of mapConcurrent(each(scanned), 4, (path) =>
  intake.prepare(path, { model: MODEL }),
)) {
  if (upload.quality === null) sentAsIs += 1;
  uploadBytes += upload.dataUri.length;
}
report({ photos: scanned.length, sentAsIs, uploadBytes });
