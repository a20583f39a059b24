/**
 * Where the app may send the user in the OS browser: the DashScope (Model
 * Studio) consoles, where keys are made, and the docs, for the two regions
 * Restyle supports (shared/settings.ts). Anything else is refused, so a
 * compromised page cannot use the app to open arbitrary links.
 */
export const EXTERNAL_HOSTS: readonly string[] = [
  // China (Beijing)
  'bailian.console.aliyun.com',
  'dashscope.console.aliyun.com',
  'help.aliyun.com',
  // International (Singapore)
  'modelstudio.console.alibabacloud.com',
  'www.alibabacloud.com',
];

/**
 * The URL to hand to the OS browser, normalised, or null when it may not be
 * opened: https only, one of EXTERNAL_HOSTS exactly (no subdomains, no
 * trailing dot), default port, no credentials. Used by the `app:open-external`
 * handler and by main's window-open handler alike.
 */
export function allowedExternalUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const allowed =
    parsed.protocol === 'https:' &&
    parsed.username === '' &&
    parsed.password === '' &&
    parsed.port === '' &&
    EXTERNAL_HOSTS.includes(parsed.hostname);
  return allowed ? parsed.href : null;
}
