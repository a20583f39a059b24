/**
 * The app's own URL scheme for images (thumbnails by content hash, results by
 * id). Its handler in main reads only cache and library entries by id, never
 * an arbitrary path.
 */
export const IMAGE_PROTOCOL = 'restyle';
export const IMAGE_HOSTS = ['thumbnail', 'result'] as const;

/**
 * The scheme the window's own page is served from in the app, instead of
 * file://. Its handler serves only the built renderer folder (out/renderer).
 * Registered as standard and secure, so the page has a real origin
 * (`app://restyle`) that the CSP's 'self' and the IPC sender check name.
 */
export const APP_PROTOCOL = 'app';
export const APP_HOST = 'restyle';
export const APP_ORIGIN = `${APP_PROTOCOL}://${APP_HOST}`;
/** The URL the window loads in the app (not in `npm run dev`, which loads the dev server). */
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html`;
