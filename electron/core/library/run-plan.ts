/**
 * Running again from the library (issue 11: re-run a result, fill an album's
 * gaps, retry its failed cells) goes through the normal quote: the originals
 * are scanned again by intake, each under the album folder it was found in
 * (so results land in the same library folder), and the window or the CLI
 * then quotes and creates the batch with `jobs:quote` / `jobs:create-batch`
 * over that scan, as for a drop. The quote links the cells the library or the
 * queue already has, so only the rest is paid for.
 */
import type { RunPlan } from '../../../shared/contract/library';
import { recipeModel, type Recipe } from '../../../shared/recipe';
import { RestyleError } from '../../../shared/result';
import { kindOf } from '../fs/regular-file';
import type { IntakeService } from '../intake/intake-service';
import { albumMatrix, cellState, type AlbumSources, type SourcePlace } from './album-queries';
import type { Library } from './types';

/** What is run again: results' originals with the same recipes, or an album's unfilled or failed cells. */
export type RunRequest =
  { resultIds: readonly string[] } | { albumFolder: string; cells: 'gaps' | 'failed' };

export interface RunPlanDeps extends AlbumSources {
  library: Pick<Library, 'get' | 'readIndex'>;
  intake: Pick<IntakeService, 'startScan' | 'scanDone' | 'scanRecords'>;
  /** Cut photos beyond a model's aspect limit (Settings' "send uncropped" off). */
  crop: boolean;
}

/** An original to scan again: its content, and where it was found (newest first). */
interface Wanted {
  hash: string;
  places: SourcePlace[];
}

/** States of a cell that `gaps` fills: nothing on disk, and nothing on its way. */
const UNFILLED = new Set(['none', 'missing', 'failed']);

/** The originals and recipes of a request. `not_found`: an unknown result id. */
function wantedFor(
  deps: RunPlanDeps,
  request: RunRequest,
): { wanted: Wanted[]; recipes: Recipe[]; pairs?: Set<string>[] } {
  const recipes = new Map<string, Recipe>();
  const wanted = new Map<string, Wanted>();
  const want = (hash: string, places: readonly SourcePlace[]) => {
    const known = wanted.get(hash) ?? { hash, places: [] };
    for (const place of places)
      if (!known.places.some((p) => p.path === place.path)) known.places.push(place);
    wanted.set(hash, known);
  };
  if ('resultIds' in request) {
    /** Per recipe key, the originals (by content) its chosen results were made from. */
    const madeFrom = new Map<string, Set<string>>();
    for (const id of request.resultIds) {
      const entry = deps.library.get(id);
      if (!entry) throw new RestyleError('not_found', `no result ${id}`, { id });
      want(entry.sourceHash, [{ path: entry.sourcePath, albumFolder: entry.albumFolder }]);
      if (!recipes.has(entry.recipeKey)) recipes.set(entry.recipeKey, entry.recipe);
      const hashes = madeFrom.get(entry.recipeKey) ?? new Set<string>();
      madeFrom.set(entry.recipeKey, hashes.add(entry.sourceHash));
    }
    return {
      wanted: [...wanted.values()],
      recipes: [...recipes.values()],
      pairs: [...recipes.keys()].map((key) => madeFrom.get(key) ?? new Set()),
    };
  }
  const { photos, styles } = albumMatrix(deps, request.albumFolder);
  for (const photo of photos) {
    const states = styles.map((style) => cellState(photo.cells.get(style.recipeKey)));
    if (request.cells === 'gaps') {
      // The photo with every recipe: the quote links what is done or queued.
      if (states.some((state) => UNFILLED.has(state))) {
        want(photo.sourceHash, photo.places);
        for (const style of styles) recipes.set(style.recipeKey, style.recipe);
      }
      continue;
    }
    states.forEach((state, index) => {
      const style = styles[index];
      if (state !== 'failed' || !style) return;
      want(photo.sourceHash, photo.places);
      recipes.set(style.recipeKey, style.recipe);
    });
  }
  // Columns in the album's order, whatever order the cells were met in.
  const ordered = styles.filter((style) => recipes.has(style.recipeKey)).map((s) => s.recipe);
  return { wanted: [...wanted.values()], recipes: ordered };
}

/**
 * `library:prepare-run`: scans the originals again (a kept scan that is not
 * a window tab, see StartScanOptions.listed) and waits for it. An original
 * no longer where it was found, or whose content changed since (another
 * hash), is named in `sourcesMissing` and left out of `photoIds`.
 */
export async function prepareRun(deps: RunPlanDeps, request: RunRequest): Promise<RunPlan> {
  const { wanted, recipes, pairs } = wantedFor(deps, request);
  const sourcesMissing: string[] = [];
  /** The original expected at each path scanned. */
  const expected = new Map<string, Wanted & { place: SourcePlace }>();
  for (const photo of wanted) {
    let place: SourcePlace | undefined;
    for (const candidate of photo.places) {
      if (!expected.has(candidate.path) && (await kindOf(candidate.path)) === 'file') {
        place = candidate;
        break;
      }
    }
    if (place) expected.set(place.path, { ...photo, place });
    else if (photo.places[0]) sourcesMissing.push(photo.places[0].path);
  }
  const first = recipes[0];
  const { scanId } = deps.intake.startScan([...expected.keys()], {
    model: first ? recipeModel(first) : 'wanx-style-repaint-v1',
    crop: deps.crop,
    folders: new Map([...expected].map(([path, photo]) => [path, photo.place.albumFolder])),
    listed: false,
  });
  const done = await deps.intake.scanDone(scanId);
  if (done.error) throw new Error(done.error);
  const photoIds: string[] = [];
  const recipePhotoIds = pairs?.map((): string[] => []);
  for (const record of deps.intake.scanRecords(scanId).records) {
    const photo = expected.get(record.path);
    if (!photo) continue;
    const gone = record.reason?.code === 'not_found' || record.reason?.code === 'broken_link';
    // Unreadable now (no hash): kept, so the quote names it with its reason.
    if (gone || (record.hash !== null && record.hash !== photo.hash))
      sourcesMissing.push(photo.place.path);
    else {
      photoIds.push(record.id);
      pairs?.forEach((hashes, index) => {
        if (hashes.has(photo.hash)) recipePhotoIds?.[index]?.push(record.id);
      });
    }
  }
  return {
    scanId,
    photoIds,
    recipes,
    ...(recipePhotoIds ? { recipePhotoIds } : {}),
    sourcesMissing,
  };
}
