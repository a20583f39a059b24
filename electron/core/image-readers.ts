import { THUMBNAIL_SIZES } from '../../shared/photos';
import type { ImageReader } from './bridge/dev-bridge';
import type { Services } from './services';

const RESULT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
};

/**
 * What the window may load as images, by id only: cached thumbnails by content
 * hash, library results by entry id. Shared by Electron's image protocol and the dev bridge.
 */
export function imageReaders(services: Services): {
  thumbnail: ImageReader;
  result: ImageReader;
} {
  return {
    result: async (id) => {
      const entry = services.library.get(id);
      const body = entry ? await services.library.readImage(id) : null;
      const type = RESULT_TYPES[entry?.path.split('.').pop()?.toLowerCase() ?? ''];
      return body && type ? { body, type } : null;
    },
    thumbnail: async (hash, size) => {
      if (!(size in THUMBNAIL_SIZES)) return null;
      const body = await services.intake.readThumbnail(hash, size as keyof typeof THUMBNAIL_SIZES);
      return body ? { body, type: 'image/webp' } : null;
    },
  };
}
