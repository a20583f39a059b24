import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** Lints source text as if it were the named file, returning the messages of the layering rule. */
async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

describe('the layering rule (docs/architecture.md)', () => {
  it('fails a file in electron/core that imports electron', async () => {
    const errors = await layeringErrors(
      'electron/core/settings/leak.ts',
      "import { app } from 'electron';\nexport const name = app.getName();\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/Only electron\/main and electron\/preload/);
  });

  it('allows a type-only import of electron in core', async () => {
    const errors = await layeringErrors(
      'electron/core/settings/types-only.ts',
      "import type { BrowserWindow } from 'electron';\nexport type W = BrowserWindow;\n",
    );
    expect(errors).toEqual([]);
  });

  it('lets electron/main import electron', async () => {
    const errors = await layeringErrors(
      'electron/main/ok.ts',
      "import { app } from 'electron';\nexport const a = app;\n",
    );
    expect(errors).toEqual([]);
  });

  it('keeps core from reaching into main or the renderer', async () => {
    const errors = await layeringErrors(
      'electron/core/intake/bad.ts',
      "import { createMainWindow } from '../../main/window';\nexport const w = createMainWindow;\n",
    );
    expect(errors).toHaveLength(1);
  });

  it('keeps the renderer on the contract: no Node, no electron, no core', async () => {
    const code = [
      "import { readFileSync } from 'node:fs';",
      "import { ipcRenderer } from 'electron';",
      "import { createServices } from '../../electron/core/services';",
      'export const x = [readFileSync, ipcRenderer, createServices];',
    ].join('\n');
    expect(await layeringErrors('renderer/src/bad.ts', code)).toHaveLength(3);
  });

  it('keeps shared/ free of Node and of the other layers', async () => {
    const code =
      "import { join } from 'node:path';\nimport { app } from 'electron';\nexport const x = [join, app];\n";
    expect(await layeringErrors('shared/bad.ts', code)).toHaveLength(2);
  });
});

describe('core reads no environment, home folder or platform (the edge passes them)', () => {
  const OS_RULES = new Set([
    'no-restricted-properties',
    '@typescript-eslint/no-restricted-imports',
  ]);
  const osErrors = (results: ESLint.LintResult[]) =>
    results.flatMap((result) =>
      result.messages
        .filter((m) => m.ruleId !== null && OS_RULES.has(m.ruleId))
        .map((m) => `${result.filePath}:${m.line}: ${m.message}`),
    );
  const reading = [
    "import { homedir, platform } from 'node:os';",
    'export const where = [process.env.HOME, process.platform, homedir(), platform()];',
    'const { env } = process;',
    'export const data = env.RESTYLE_DATA_DIR;',
  ].join('\n');

  it('fails a core file that reads process.env, process.platform or the home folder', async () => {
    const errors = osErrors(
      await eslint.lintText(reading, { filePath: 'electron/core/app-paths-leak.ts' }),
    );
    // process.env, process.platform, `{ env } = process`, and the two names from node:os.
    expect(errors).toHaveLength(5);
    expect(errors.join('\n')).toMatch(/never reads process\.env/);
    expect(errors.join('\n')).toMatch(/never reads the home folder/);
  });

  it('lets the edges read them', async () => {
    for (const filePath of ['electron/cli/host-ok.ts', 'electron/main/ok.ts', 'scripts/ok.ts'])
      expect(osErrors(await eslint.lintText(reading, { filePath }))).toEqual([]);
  });

  it('no file in electron/core reads them', async () => {
    const results = await eslint.lintFiles(['electron/core/**/*.ts']);
    expect(results.length).toBeGreaterThan(50);
    expect(osErrors(results)).toEqual([]);
  }, 60_000);
});

describe('one door to SQLite', () => {
  it('only electron/core/db/sqlite.ts names a SQLite driver', () => {
    const sources = execFileSync(
      'git',
      ['ls-files', '--cached', '--others', '--exclude-standard'],
      {
        encoding: 'utf8',
      },
    )
      .split('\n')
      .filter((file) =>
        /^(electron|shared|renderer|scripts|bench|bin)\/.*\.(ts|tsx|mjs|js|cjs)$/.test(file),
      );
    expect(sources.length).toBeGreaterThan(50);
    const naming = sources.filter((file) =>
      /['"](node:sqlite|better-sqlite3|sqlite3)['"]/.test(readFileSync(file, 'utf8')),
    );
    expect(naming).toEqual(['electron/core/db/sqlite.ts']);
  });
});
