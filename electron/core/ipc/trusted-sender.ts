/** Decides whether an IPC call came from our own page. */
export type SenderCheck = (senderUrl: string | undefined) => boolean;

const normalise = (url: string): string | null => {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'file:') return `file://${parsed.pathname}`;
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return null;
  }
};

/**
 * Trusts exactly the given page URLs (query and hash ignored): the bundled
 * index.html in the app, the dev server's page in development.
 */
export function createSenderCheck(trustedPages: readonly string[]): SenderCheck {
  const trusted = new Set(trustedPages.map(normalise).filter((u): u is string => u !== null));
  return (senderUrl) => {
    if (!senderUrl) return false;
    const url = normalise(senderUrl);
    return url !== null && trusted.has(url);
  };
}
