// Builds the `restyle` CLI (electron/cli/main.ts) into out/cli/: ESM bundles
// for plain Node, made by esbuild. esbuild rather than Vite (which builds main
// and preload): the CLI needs code splitting, so that each command's work is
// its own chunk loaded by `import()` when the command runs and `--version` or
// `--help` load only commander and the strings; esbuild splits ESM with one
// option, builds in well under a second (the tests build it first), and is
// already what Vite uses to read TypeScript. Native and WASM-loading modules
// stay external (resolved from node_modules at run time, as main has them);
// node: builtins are external for the node platform; the rest, the JSON of
// shared/i18n and package.json's version included, is inlined.
//
//   node scripts/build-cli.mjs             build
//   node scripts/build-cli.mjs --if-stale  build only when out/cli is missing or
//                                          older than a file it was built from
//
// Several test runs may build at once while others run the CLI: every file is
// written to a temporary name and renamed over its place (a starting process
// never reads half a file), unchanged files are left alone, and chunks of an
// earlier build (content-hashed names) are removed only once they are an hour
// old, so a command still running from that build can load them.
import { build } from 'esbuild';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'out', 'cli');
/** What the last build was made from (and when), for `--if-stale`. */
const stampFile = join(outdir, 'inputs.json');
const NATIVE = ['electron', 'sharp', 'heic-decode', 'libheif-js'];
const AN_HOUR = 3_600_000;

/** True when out/cli is missing or a file it was built from changed since. */
function stale() {
  if (!existsSync(stampFile)) return true;
  const { builtAt, inputs } = JSON.parse(readFileSync(stampFile, 'utf8'));
  return [fileURLToPath(import.meta.url), ...inputs.map((input) => join(root, input))].some(
    (file) => !existsSync(file) || statSync(file).mtimeMs > builtAt,
  );
}

/** Writes `contents` at `path` unless it is already there, by a rename. */
function put(path, contents) {
  if (existsSync(path) && readFileSync(path).equals(contents)) return;
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}

/** Removes what earlier builds left (an hour old and not written by this one). */
function prune(dir, kept, now) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) prune(path, kept, now);
    else if (!kept.has(path) && now - statSync(path).mtimeMs > AN_HOUR)
      rmSync(path, { force: true });
  }
}

export async function buildCli() {
  const startedAt = Date.now();
  const result = await build({
    absWorkingDir: root,
    entryPoints: { main: 'electron/cli/main.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    chunkNames: 'chunks/[name]-[hash]',
    external: NATIVE.flatMap((name) => [name, `${name}/*`]),
    // Bundled CommonJS packages (commander, axios's helpers) call require() for
    // Node's builtins; an ES module has none, so each chunk makes its own.
    banner: {
      js: "import { createRequire as __restyleCreateRequire } from 'node:module'; const require = __restyleCreateRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  const kept = new Set([stampFile]);
  for (const file of result.outputFiles) {
    put(file.path, Buffer.from(file.contents));
    kept.add(file.path);
  }
  const inputs = Object.keys(result.metafile.inputs);
  put(stampFile, Buffer.from(`${JSON.stringify({ builtAt: startedAt, inputs }, null, 1)}\n`));
  prune(outdir, kept, Date.now());
  return relative(root, outdir);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!process.argv.includes('--if-stale') || stale()) await buildCli();
}
