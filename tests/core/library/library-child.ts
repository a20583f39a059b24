// A separate process saving one result, so a test can kill it mid-save or
// run it inside a tiny real file system (ENOSPC). Prints one JSON line.
//   node --import tsx library-child.ts hang <root>      stops before the image's rename (~3 MB PNG), says "ready"
//   node --import tsx library-child.ts between <root>   stops between the two renames (sidecar and image), says "ready"
//   node --import tsx library-child.ts unindexed <root> stops after both renames, before the index row, says "ready"
//   node --import tsx library-child.ts save <root>      saves a ~3 MB PNG, reports the outcome
// `between` and `unindexed` save `saveInput(await pngResult())`, so the test can save it again.
import { nodeFileOps, type FileOps } from '../../../electron/core/library/atomic-file';
import { createLibrary } from '../../../electron/core/library/library';
import { isSidecarName } from '../../../electron/core/library/sidecar';
import { RestyleError } from '../../../shared/result';
import { filesUnder, noisePng, pngResult, saveInput } from './fixtures';

const [mode, root] = process.argv.slice(2);
if (!root) throw new Error('usage: library-child.ts hang|between|unindexed|save <root>');

const say = (value: unknown) => process.stdout.write(`${JSON.stringify({ ready: value })}\n`);
const forever = () => new Promise<void>(() => undefined);

let renames = 0;
const fileOps: FileOps = {
  ...nodeFileOps,
  async renameNoReplace(from, to) {
    renames += 1;
    if (mode === 'hang' && !isSidecarName(to)) {
      say(from);
      return forever();
    }
    if (mode === 'between' && renames === 2) {
      say(from);
      return forever();
    }
    return nodeFileOps.renameNoReplace(from, to);
  },
  async syncDir(dir) {
    await nodeFileOps.syncDir(dir);
    if (mode === 'unindexed' && renames === 2) {
      say(true);
      return forever();
    }
  },
};

const library = createLibrary({ root, fileOps });
const image =
  mode === 'between' || mode === 'unindexed' ? await pngResult() : await noisePng(1024, 1024);
try {
  const entry = await library.save(saveInput(image));
  process.stdout.write(`${JSON.stringify({ saved: entry.path, files: filesUnder(root) })}\n`);
} catch (error) {
  const code = error instanceof RestyleError ? error.code : (error as Error).message;
  process.stdout.write(`${JSON.stringify({ error: code, files: filesUnder(root) })}\n`);
} finally {
  library.close();
}
