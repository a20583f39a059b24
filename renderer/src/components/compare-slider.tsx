import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface CompareSliderProps {
  before: string;
  after: string;
  /** Accessible names of the two images. */
  beforeLabel: string;
  afterLabel: string;
}

/**
 * Before/after: the result drawn over the original and clipped at the
 * slider's position. The range input is the control (arrow keys, Home/End).
 */
export function CompareSlider({ before, after, beforeLabel, afterLabel }: CompareSliderProps) {
  const { t } = useTranslation();
  const [position, setPosition] = useState(50);
  const id = useId();
  return (
    <figure className="compare" data-testid="compare">
      <div className="compare-stage">
        <img src={before} alt={beforeLabel} className="compare-before" draggable={false} />
        <img
          src={after}
          alt={afterLabel}
          className="compare-after"
          draggable={false}
          style={{ clipPath: `inset(0 0 0 ${position}%)` }}
          data-testid="compare-after"
        />
        <div className="compare-line" style={{ left: `${position}%` }} aria-hidden="true" />
        <span className="compare-tag compare-tag-before" aria-hidden="true">
          {beforeLabel}
        </span>
        <span className="compare-tag compare-tag-after" aria-hidden="true">
          {afterLabel}
        </span>
      </div>
      <label htmlFor={id} className="visually-hidden">
        {t('batch.compare.label')}
      </label>
      <input
        id={id}
        type="range"
        min={0}
        max={100}
        step={1}
        value={position}
        onChange={(event) => setPosition(Number(event.target.value))}
        className="compare-range"
        data-testid="compare-range"
      />
    </figure>
  );
}
