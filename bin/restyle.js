#!/usr/bin/env node
// The `restyle` command: runs the TypeScript CLI with plain Node through tsx,
// so it works right after `npm install`, with no build step and no Electron.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv);
