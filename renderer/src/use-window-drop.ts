import { useEffect, useState } from 'react';
import type { RestyleApi } from '../../shared/contract';
import type { AppStore } from './store/app-store';

/**
 * What a drop becomes: the local paths of the dropped files and folders, or
 * `needs_app` when they have none (a browser cannot tell where files are).
 */
export function pathsFromDrop(
  files: readonly File[],
  api: Pick<RestyleApi, 'pathForFile'>,
): string[] | 'needs_app' {
  const paths = files.map((file) => api.pathForFile(file));
  if (paths.some((path) => !path)) return 'needs_app';
  return paths.filter((path): path is string => Boolean(path));
}

/** Handles one drop: one drop, one batch (through the same `addPaths` as Add photos). */
export function handleDrop(files: readonly File[], api: RestyleApi, store: AppStore): void {
  if (files.length === 0) return;
  const paths = pathsFromDrop(files, api);
  if (paths === 'needs_app') store.getState().dropNeedsApp();
  else void store.getState().addPaths(paths);
}

const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;

/** Files dropped anywhere on the window; returns whether files are being dragged over it. */
export function useWindowDrop(api: RestyleApi, store: AppStore): boolean {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    // dragenter/dragleave fire for every child crossed: count them.
    let depth = 0;
    const enter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth += 1;
      setDragging(true);
    };
    const over = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const leave = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth = 0;
      setDragging(false);
      handleDrop(Array.from(event.dataTransfer?.files ?? []), api, store);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [api, store]);
  return dragging;
}
