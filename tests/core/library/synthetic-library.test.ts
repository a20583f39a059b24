import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLibrary } from '../../../electron/core/library/library';
import { sha256Hex } from '../../../electron/core/library/provenance';
import { checkResultImage } from '../../../electron/core/library/result-image';
import { parseSidecar } from '../../../electron/core/library/sidecar';
import { useTempDir } from '../../support/temp-dir';
import { writeSyntheticLibrary } from '../../support/synthetic-library';

// The bench's library generator writes what the library itself would have:
// every sidecar is one of ours, every result is indexed, nothing collides.
describe('synthetic library (the library bench’s generator)', () => {
  let temp: ReturnType<typeof useTempDir>;
  beforeEach(() => {
    temp = useTempDir('restyle-synthetic-library-');
  });
  afterEach(() => temp.cleanup());

  it('writes valid sidecars beside real images, all indexed by a rebuild', async () => {
    const root = join(temp.path, 'library');
    const made = await writeSyntheticLibrary({ root, results: 400, albums: 12, fullSize: 3 });
    expect(made.results).toBe(400);

    const sidecars = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((name) =>
      name.endsWith('.restyle.json'),
    );
    expect(sidecars).toHaveLength(400);
    const parsed = sidecars.map((name) => parseSidecar(readFileSync(join(root, name), 'utf8')));
    expect(parsed.filter((s) => s === null)).toEqual([]);
    expect(new Set(parsed.map((s) => s?.id)).size).toBe(400);

    const library = createLibrary({ root });
    try {
      const entries = library.list({ limit: 1000 });
      expect(entries).toHaveLength(400);
      // What the bench searches and filters on is there.
      expect(entries.some((e) => e.albumFolder.includes('/'))).toBe(true);
      expect(entries.some((e) => e.sourceName.includes(made.probes.chineseWord))).toBe(true);
      expect(entries.some((e) => e.sourceName.includes(made.probes.fileWord))).toBe(true);
      expect(
        entries.some(
          (e) => e.recipe.kind === 'prompt' && e.recipe.prompt.includes(made.probes.promptWord),
        ),
      ).toBe(true);
      expect(entries.filter((e) => e.rating > 0)).toHaveLength(made.rated);
      expect(entries.filter((e) => e.favourite)).toHaveLength(made.favourites);
      expect(entries.some((e) => e.sourceCrop !== null)).toBe(true);
      expect(entries.filter((e) => e.fileName.includes(' (2).'))).toHaveLength(made.reruns);
      expect(new Set(entries.map((e) => e.sourceHash)).size).toBe(made.photos);
      // The newest are photo-sized.
      expect(entries.slice(0, 3).map((e) => e.width)).toEqual([1024, 1024, 1024]);
      expect(entries[3]?.width).toBe(160);
      // Real images, each file's bytes its own (with the provenance embedded).
      for (const entry of [entries[0], entries[3], entries[399]]) {
        const bytes = readFileSync(entry?.path ?? '');
        await expect(checkResultImage(bytes)).resolves.toMatchObject({ format: 'jpeg' });
        expect(bytes.includes(`restyle:ResultId="${entry?.id}"`)).toBe(true);
      }
      // A rating is in the image as the window writes it (xmp:Rating), as well as in the sidecar.
      const rated = entries.find((e) => e.rating > 0);
      expect(readFileSync(rated?.path ?? '').includes(`xmp:Rating="${rated?.rating}"`)).toBe(true);
      expect(new Set(entries.map((e) => sha256Hex(readFileSync(e.path)))).size).toBe(400);
    } finally {
      library.close();
    }
  });
});
