/** Decides whether an IPC call came from our own page. */
export type SenderCheck = (senderUrl: string | undefined) => boolean;

/**
 * Scheme, host (with port) and path; query and hash dropped. Credentials make
 * a URL untrusted. `URL.origin` is not used: it is "null" for file: and for
 * custom schemes, which would make every host look the same.
 */
const normalise = (url: string): string | null => {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) return null;
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return null;
  }
};

/**
 * Trusts exactly the given page URLs, by scheme, host and path (query and hash
 * ignored): the app's own page in the app, the dev server's page in development.
 */
export function createSenderCheck(trustedPages: readonly string[]): SenderCheck {
  const trusted = new Set(trustedPages.map(normalise).filter((u): u is string => u !== null));
  return (senderUrl) => {
    if (!senderUrl) return false;
    const url = normalise(senderUrl);
    return url !== null && trusted.has(url);
  };
}
