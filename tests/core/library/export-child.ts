// A separate process exporting a library's results, so a test can run it
// where the destination is a real tiny (or read-only) file system: the test
// mounts it in the child's own mount namespace (`unshare -rm`). Prints one JSON line.
//   node --import tsx export-child.ts <library root> <destination> folders|flat|zip
import { exportResults, type ExportLayout } from '../../../electron/core/library/library-export';
import { createLibrary } from '../../../electron/core/library/library';
import { RestyleError } from '../../../shared/result';
import { filesUnder } from './fixtures';

const [root, destination, layout] = process.argv.slice(2);
if (!root || !destination || !layout)
  throw new Error('usage: export-child.ts <root> <dest> <layout>');

const library = createLibrary({ root, create: false });
try {
  const ids = library.list().map((entry) => entry.id);
  const report = await exportResults(library, {
    ids,
    layout: layout as ExportLayout,
    sidecars: true,
    destination,
  });
  process.stdout.write(`${JSON.stringify({ report, files: filesUnder(destination) })}\n`);
} catch (error) {
  const coded = error instanceof RestyleError;
  process.stdout.write(
    `${JSON.stringify({
      error: coded ? error.code : (error as Error).message,
      params: coded ? error.params : undefined,
      files: filesUnder(destination),
    })}\n`,
  );
} finally {
  library.close();
}
