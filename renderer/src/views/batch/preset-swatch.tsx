import { useState } from 'react';

/** A preset's preview: a result already made in that style, else its drawn swatch. */
export function PresetSwatch({ index, resultUrl }: { index: number; resultUrl: string | null }) {
  const [failed, setFailed] = useState(false);
  if (!resultUrl || failed) return <span className={`swatch swatch-${index}`} aria-hidden="true" />;
  return (
    <img
      className="swatch"
      src={resultUrl}
      alt=""
      loading="lazy"
      decoding="async"
      onError={() => setFailed(true)}
      data-testid={`preset-preview-${index}`}
    />
  );
}
