/**
 * The app's own URL scheme for images (thumbnails by content hash, results by
 * id). Its handler in main reads only cache and library entries by id, never
 * an arbitrary path.
 */
export const IMAGE_PROTOCOL = 'restyle';
export const IMAGE_HOSTS = ['thumbnail', 'result'] as const;
