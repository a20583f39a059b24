import { useEffect, useState } from 'react';

/**
 * True once a component has stayed mounted for `ms`. The gallery loads a
 * thumbnail only for cells that stay in view that long, so a fast fling over
 * thousands of photos does not start (and decode) an image for every cell it
 * passes; they fill in as soon as scrolling slows.
 */
export function useDwell(ms: number): boolean {
  const [dwelt, setDwelt] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setDwelt(true), ms);
    return () => clearTimeout(timer);
  }, [ms]);
  return dwelt;
}
