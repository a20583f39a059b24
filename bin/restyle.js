#!/usr/bin/env node
// The `restyle` command: runs the CLI's bundle (out/cli/, built by
// `npm install`'s prepare step, `npm run build` or `npm run build:cli`) with
// plain Node. Each command's code is loaded when that command runs. Node keeps
// what it compiled of the bundle in its compile cache (in the OS temp folder,
// or NODE_COMPILE_CACHE), so a command's later starts skip compiling it.
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('../out/cli/main.js');
process.exitCode = await main(process.argv);
