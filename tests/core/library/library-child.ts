// A separate process saving one result, so a test can kill it mid-save or
// run it inside a tiny real file system (ENOSPC). Prints one JSON line.
//   node --import tsx library-child.ts hang <root>     stops before the rename, says "ready"
//   node --import tsx library-child.ts save <root>     saves a ~3 MB PNG, reports the outcome
import { nodeFileOps, type FileOps } from '../../../electron/core/library/atomic-file';
import { createLibrary } from '../../../electron/core/library/library';
import { RestyleError } from '../../../shared/result';
import { filesUnder, noisePng, saveInput } from './fixtures';

const [mode, root] = process.argv.slice(2);
if (!root) throw new Error('usage: library-child.ts hang|save <root>');

const hangBeforeRename: FileOps = {
  ...nodeFileOps,
  renameNoReplace: (from) => {
    process.stdout.write(`${JSON.stringify({ ready: from })}\n`);
    return new Promise<void>(() => undefined);
  },
};

const library = createLibrary({
  root,
  fileOps: mode === 'hang' ? hangBeforeRename : nodeFileOps,
});
const image = await noisePng(1024, 1024);
try {
  const entry = await library.save(saveInput(image));
  process.stdout.write(`${JSON.stringify({ saved: entry.path, files: filesUnder(root) })}\n`);
} catch (error) {
  const code = error instanceof RestyleError ? error.code : (error as Error).message;
  process.stdout.write(`${JSON.stringify({ error: code, files: filesUnder(root) })}\n`);
} finally {
  library.close();
}
