import type { Library } from './types';

/** A library that can move to another folder while callers keep one reference. */
export interface SwitchableLibrary extends Library {
  /** Opens the library at `root` and closes the previous one (no-op for the same root). */
  switchTo(root: string): void;
}

/**
 * Forwards every call to the library currently open, so the job engine and
 * handlers holding `services.library` follow a change of the folder setting.
 */
export function createSwitchableLibrary(
  open: (root: string) => Library,
  root: string,
): SwitchableLibrary {
  let current = open(root);
  return {
    get root() {
      return current.root;
    },
    save: (input) => current.save(input),
    find: (sourceHash, recipeKey) => current.find(sourceHash, recipeKey),
    get: (id) => current.get(id),
    list: (filter) => current.list(filter),
    readImage: (id) => current.readImage(id),
    rebuildIndex: () => current.rebuildIndex(),
    results: (filter, sort, page) => current.results(filter, sort, page),
    photos: (filter, sort, page) => current.photos(filter, sort, page),
    photoStack: (sourceHash) => current.photoStack(sourceHash),
    facets: (filter) => current.facets(filter),
    stats: (filter) => current.stats(filter),
    setRating: (ids, change) => current.setRating(ids, change),
    readIndex: (read) => current.readIndex(read),
    close: () => current.close(),
    switchTo(next) {
      if (next === current.root) return;
      const previous = current;
      current = open(next);
      previous.close();
    },
  };
}
