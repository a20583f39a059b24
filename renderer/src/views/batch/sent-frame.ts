import type { ModelId } from '../../../../shared/models';
import type { PhotoRecord } from '../../../../shared/photos';
import { WHOLE_FRAME, type Frame } from '../../components/compare-slider';

/**
 * What `model` was sent of this photo, for the compare view: the crop core
 * placed (`PhotoRecord.crops`, in the upright photo's pixels) as fractions of
 * the photo, and the shape of what was sent. The whole photo when it was not
 * cut (or its size is unknown).
 */
export function sentFrame(
  record: Pick<PhotoRecord, 'width' | 'height' | 'crops'>,
  model: ModelId | null,
): { frame: Frame; aspect: number } {
  const { width, height } = record;
  if (!width || !height) return { frame: WHOLE_FRAME, aspect: 1 };
  const crop = model ? record.crops?.[model] : undefined;
  if (!crop) return { frame: WHOLE_FRAME, aspect: width / height };
  return {
    frame: {
      left: crop.left / width,
      top: crop.top / height,
      width: crop.width / width,
      height: crop.height / height,
    },
    aspect: crop.width / crop.height,
  };
}
