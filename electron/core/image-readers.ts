import { THUMBNAIL_SIZES } from '../../shared/photos';
import type { ImageReader } from './bridge/dev-bridge';
import { createResultReaders } from './library/result-readers';
import type { Services } from './services';

/**
 * What the window may load as images, by id only: cached thumbnails by content
 * hash, library results by entry id and variant (`full`, `thumb`, `source`:
 * see createResultReaders). Shared by Electron's image protocol and the dev bridge.
 */
export function imageReaders(services: Services): {
  thumbnail: ImageReader;
  result: ImageReader;
} {
  const results = createResultReaders(services.library, services.paths.cache);
  return {
    result: (id, variant) => results.read(id, variant),
    thumbnail: async (hash, size) => {
      if (!(size in THUMBNAIL_SIZES)) return null;
      const body = await services.intake.readThumbnail(hash, size as keyof typeof THUMBNAIL_SIZES);
      return body ? { body, type: 'image/webp' } : null;
    },
  };
}
