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
    sync: () => current.sync(),
    deleteResults: (ids) => current.deleteResults(ids),
    undoDelete: (undoToken) => current.undoDelete(undoToken),
    removeMissing: (ids) => current.removeMissing(ids),
    finalizeDeletes: () => current.finalizeDeletes(),
    results: (filter, sort, page) => current.results(filter, sort, page),
    photos: (filter, sort, page) => current.photos(filter, sort, page),
    photoStack: (sourceHash) => current.photoStack(sourceHash),
    facets: (filter) => current.facets(filter),
    stats: (filter) => current.stats(filter),
    readIndex: (read) => current.readIndex(read),
    setRating: (ids, change) => current.setRating(ids, change),
    close: () => current.close(),
    switchTo(next) {
      if (next === current.root) return;
      const previous = current;
      current = open(next);
      // Its held deletes go to the trash (Undo ends with the folder), then it closes.
      void previous.finalizeDeletes();
      previous.close();
    },
  };
}
