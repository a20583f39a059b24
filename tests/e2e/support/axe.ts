import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, Result } from 'axe-core';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);

/** axe-core's browser build, read once: the page's CSP forbids loading it as a script. */
let source: string | undefined;
const axeSource = () => (source ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));

/** The impacts that fail a test; moderate and minor ones are left to judgement. */
const FAILING = new Set(['critical', 'serious']);

/**
 * Runs axe-core over the whole page as it is now and returns its critical and
 * serious violations. axe is evaluated over DevTools, which the page's CSP does
 * not govern, so the page itself is unchanged (no bypassCSP).
 */
export async function seriousViolations(page: Page): Promise<Result[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axeSource());
  const results = await page.evaluate(() => {
    // Injected above: axe's own global, typed by the package.
    const axe = (window as unknown as { axe: { run(options: object): Promise<AxeResults> } }).axe;
    return axe.run({ resultTypes: ['violations'] });
  });
  return results.violations.filter((violation) => FAILING.has(violation.impact ?? ''));
}

/** One line per violation and offending element, for a failure message a person can act on. */
export function describeViolations(violations: readonly Result[]): string {
  return violations
    .flatMap((violation) => [
      `${violation.impact ?? ''} ${violation.id}: ${violation.help} (${violation.nodes.length})`,
      ...violation.nodes
        .slice(0, 6)
        .map(
          (node) =>
            `  ${node.target.join(' ')}: ${(node.failureSummary ?? '').replace(/\s+/g, ' ')}`,
        ),
    ])
    .join('\n');
}

/** Fails, listing them, when axe finds any critical or serious violation; `where` names the view. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await seriousViolations(page);
  if (violations.length > 0) {
    throw new Error(`axe: ${where}:\n${describeViolations(violations)}`);
  }
}
