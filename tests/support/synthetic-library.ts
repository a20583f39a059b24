// A big library made up fast, for the library bench (bench/library.bench.ts)
// and tests: real sidecars (built by the library's own buildSidecar, named as
// the library names results) beside small real JPEGs with the provenance
// (and a rating, when rated) embedded as XMP, as a save and the window's
// rating write them. Deterministic: the same options give the same files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { ModelId } from '../../shared/models';
import type { Adjustment, CropBox } from '../../shared/photos';
import { recipeImages, recipeKey, recipeModel, type Recipe } from '../../shared/recipe';
import { ratedImage } from '../../electron/core/library/library-rating';
import { baseName, resultFileName, resultFolder } from '../../electron/core/library/naming';
import {
  buildSidecar,
  provenanceXmp,
  sha256Hex,
  styleSlug,
} from '../../electron/core/library/provenance';
import { serializeSidecar, sidecarPathFor } from '../../electron/core/library/sidecar';
import type { SaveResultInput } from '../../electron/core/library/types';
import { embedXmp } from '../../electron/core/library/xmp';
import { sceneSvg } from '../e2e/support/scene-photos';

export interface SyntheticLibraryOptions {
  /** The library folder to fill (made if missing). */
  root: string;
  /** Results to write (image + sidecar each). */
  results: number;
  /** Top-level albums the photos are spread over. @default 200 */
  albums?: number;
  /**
   * The newest this many results get photo-like 1024x768 images (what a
   * result looks like); the rest are 160x120 JPEGs (997 distinct pictures,
   * every file's bytes distinct), to keep 100,000 of them small and quick to
   * write. @default 0
   */
  fullSize?: number;
  /** Images encoded and written at once. @default 8 */
  concurrency?: number;
  /** Called now and then with the results written so far. */
  onProgress?: (written: number) => void;
}

/** What was made, and words and filters that find some of it. */
export interface SyntheticLibrary {
  results: number;
  photos: number;
  /** Album folders (top-level and nested) that hold photos. */
  folders: number;
  /** Results with a rating (1-5) / marked favourite. */
  rated: number;
  favourites: number;
  /** Results that are a second run of a recipe on a photo (named ` (2)`). */
  reruns: number;
  probes: {
    /** A top-level album folder (its nested folders are below it). */
    album: string;
    /** A preset's recipe key used throughout. */
    recipeKey: string;
    /** An English word in some source file names. */
    fileWord: string;
    /** A Chinese word in some source file names and album names. */
    chineseWord: string;
    /** A word in one of the prompts. */
    promptWord: string;
  };
}

const PROBES = {
  fileWord: 'sunset',
  chineseWord: '西湖',
  promptWord: 'watercolor',
};

const PLACES = [
  'Kyoto',
  'Lisbon',
  'Yunnan',
  'Iceland',
  'Patagonia',
  'Hokkaido',
  'Tuscany',
  'Bali',
  '杭州',
  '成都',
  '西湖',
  '桂林',
  '黄山',
  '厦门',
  '丽江',
  '青岛',
];
const OCCASIONS = ['Trip', 'Weekend', 'Wedding', '旅行', '春节', '婚礼', '毕业', '家庭聚会'];
const SUBFOLDERS = ['day 1', 'day 2', 'day 3', '第一天', '第二天', 'selects', 'raw/phone', '精选'];
/** How a camera or a person names files; `{n}` is the number. */
const NAMINGS = [
  'IMG_{n}.jpg',
  'DSC{n}.JPG',
  'PXL_2024{n}.jpg',
  'sunset_{n}.jpg',
  'beach walk {n}.jpeg',
  '西湖日落_{n}.jpg',
  '全家福_{n}.jpg',
  '外婆的生日 {n}.jpg',
  'portrait-{n}.heic',
  '老街夜景{n}.png',
];

/** The recipes people use: the ten presets, prompts (one Chinese, one with two variants) and a reference. */
const RECIPES: Recipe[] = [
  ...Array.from({ length: 10 }, (_, styleIndex): Recipe => ({ kind: 'preset', styleIndex })),
  {
    kind: 'prompt',
    prompt: 'a soft watercolor painting, pastel light, paper texture',
    function: 'stylization_all',
    variants: 1,
  },
  { kind: 'prompt', prompt: '水墨山水画，淡彩，留白', function: 'stylization_all', variants: 1 },
  {
    kind: 'prompt',
    prompt: 'a neon cyberpunk city at night, rain and reflections',
    function: 'stylization_all',
    variants: 2,
  },
  {
    kind: 'reference',
    refPath: '/home/mei/Pictures/styles/van-gogh-starry-night.jpg',
    refHash: sha256Hex('van-gogh-starry-night'),
  },
];
/** How often each recipe is picked: presets most, the first ones more. */
const RECIPE_WEIGHTS = [9, 6, 10, 5, 4, 8, 3, 4, 6, 3, 4, 3, 2, 2];

const PRICES: Record<ModelId, number> = {
  'wanx-style-repaint-v1': 0.12,
  'wanx2.1-imageedit': 0.14,
};
const START = Date.UTC(2024, 0, 1);
const SPAN_MS = 900 * 24 * 3600 * 1000;

/** A small, fast, seeded PRNG (mulberry32): the same library every time. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Planned {
  input: SaveResultInput;
  id: string;
  folder: string;
  fileName: string;
  savedAt: string;
  crop?: CropBox;
  user?: { rating: number; favourite: boolean };
  /** Index into the image generator: distinct pixels per result. */
  seed: number;
  fullSize: boolean;
}

/** Plans every result (no I/O): albums, photos, recipes, reruns, times, costs, ratings. */
function plan(options: SyntheticLibraryOptions): { planned: Planned[]; summary: SyntheticLibrary } {
  const rand = random(11);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const hex = (chars: number) =>
    Array.from({ length: chars }, () => Math.floor(rand() * 16).toString(16)).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const weightTotal = RECIPE_WEIGHTS.reduce((a, b) => a + b, 0);
  const pickRecipe = (): Recipe => {
    let r = rand() * weightTotal;
    for (let i = 0; i < RECIPES.length; i++) {
      r -= RECIPE_WEIGHTS[i] ?? 0;
      if (r < 0) return RECIPES[i] as Recipe;
    }
    return RECIPES[0] as Recipe;
  };

  const albumCount = options.albums ?? 200;
  const albums = Array.from({ length: albumCount }, (_, i) => {
    const day = START + Math.floor((i / albumCount) * SPAN_MS);
    const year = new Date(day).getUTCFullYear();
    const name = `${year} ${PLACES[i % PLACES.length]} ${OCCASIONS[i % OCCASIONS.length]} ${i + 1}`;
    // Most albums have nested folders, some are flat.
    const folders =
      i % 4 === 0
        ? [name]
        : [1, 2, 3]
            .slice(0, 1 + (i % 3))
            .map((k) => `${name}/${SUBFOLDERS[(i + k) % SUBFOLDERS.length]}`);
    return { name, day, folders, naming: NAMINGS[i % NAMINGS.length] as string, photos: 0 };
  });

  const planned: Planned[] = [];
  const taken = new Map<string, number>();
  const folders = new Set<string>();
  let photos = 0;
  let reruns = 0;
  const add = (
    photo: { path: string; hash: string; albumFolder: string },
    recipe: Recipe,
    at: number,
  ) => {
    const model = recipeModel(recipe);
    const taskId = uuid();
    const cropped = rand() < 0.15;
    const adjustments: Adjustment[] = cropped ? ['cropped'] : rand() < 0.2 ? ['downscaled'] : [];
    for (
      let variant = 0;
      variant < recipeImages(recipe) && planned.length < options.results;
      variant++
    ) {
      const savedAt = new Date(at + variant * 1000).toISOString();
      const folder = resultFolder(options.root, photo.albumFolder);
      const parts = {
        base: baseName(photo.path),
        slug: styleSlug(recipe),
        variant: recipeImages(recipe) > 1 ? variant + 1 : undefined,
        ext: 'jpg',
      };
      const key = join(folder, resultFileName(parts));
      const attempt = (taken.get(key) ?? 0) + 1;
      taken.set(key, attempt);
      if (attempt > 1) reruns += 1;
      const rated = rand();
      planned.push({
        id: uuid(),
        folder,
        fileName: resultFileName(parts, attempt),
        savedAt,
        seed: planned.length,
        fullSize: false,
        crop: cropped ? { left: 0, top: 120, width: 3000, height: 2000 } : undefined,
        user:
          rated < 0.12
            ? { rating: 1 + Math.floor(rand() * 5), favourite: rand() < 0.3 }
            : rated < 0.14
              ? { rating: 0, favourite: true }
              : undefined,
        input: {
          source: photo,
          recipe,
          variant,
          image: Buffer.alloc(0),
          model,
          taskId,
          requestId: uuid(),
          // The first images of each model came from the free allowance.
          costCny: rand() < 0.06 ? 0 : PRICES[model],
          submittedAt: new Date(at - 25_000).toISOString(),
          finishedAt: new Date(at - 2_000).toISOString(),
          adjustments,
        },
      });
    }
  };

  while (planned.length < options.results) {
    // Some albums are much bigger than others.
    const album = albums[Math.floor(albumCount * rand() ** 1.4)] ?? albums[0];
    if (!album) break;
    album.photos += 1;
    photos += 1;
    const albumFolder = pick(album.folders);
    folders.add(albumFolder);
    const name = album.naming.replace('{n}', String(album.photos).padStart(4, '0'));
    const path = `/home/mei/Pictures/${albumFolder}/${name}`;
    const photo = { path, hash: sha256Hex(path), albumFolder };
    const runAt = album.day + album.photos * 7_000;
    // 1 to 8 styles a photo, fewest most often.
    const styles = 1 + Math.floor(rand() ** 1.6 * 8);
    const recipes = new Set<Recipe>();
    while (recipes.size < styles) recipes.add(pickRecipe());
    let k = 0;
    for (const recipe of recipes) {
      if (planned.length >= options.results) break;
      add(photo, recipe, runAt + k++ * 30_000);
      // Now and then a recipe is run again on the photo months later.
      if (rand() < 0.04 && planned.length < options.results)
        add(photo, recipe, runAt + 60 * 24 * 3600 * 1000 + k * 30_000);
    }
  }

  const newestFirst = [...planned].sort((a, b) => (a.savedAt < b.savedAt ? 1 : -1));
  for (const item of newestFirst.slice(0, options.fullSize ?? 0)) item.fullSize = true;
  const top = albums.find((a) => a.photos > 0 && a.folders.length > 1) ?? albums[0];
  return {
    planned,
    summary: {
      results: planned.length,
      photos,
      folders: folders.size,
      rated: planned.filter((p) => (p.user?.rating ?? 0) > 0).length,
      favourites: planned.filter((p) => p.user?.favourite).length,
      reruns,
      probes: { album: top?.name ?? '', recipeKey: recipeKey(RECIPES[2] as Recipe), ...PROBES },
    },
  };
}

/** Distinct small pictures: results beyond this many share pixels (but never bytes). */
const POOL = 997;
const TINY = { width: 160, height: 120 };

/** A 160x120 JPEG whose colours and a block move with `i`, from raw pixels (quicker than sharp's compositing). */
function tinyJpeg(i: number): Promise<Buffer> {
  const { width, height } = TINY;
  const pixels = Buffer.alloc(width * height * 3);
  const [r, g, b] = [(i % 16) * 16, (Math.floor(i / 16) % 16) * 16, 60 + (i % 7) * 25];
  const [left, top] = [(i * 13) % 120, (i * 7) % 90];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inBlock = x >= left && x < left + 40 && y >= top && y < top + 30;
      const at = (y * width + x) * 3;
      pixels[at] = inBlock ? 250 : (r + y) & 255;
      pixels[at + 1] = inBlock ? 240 : (g + x) & 255;
      pixels[at + 2] = inBlock ? (i * 37) & 255 : b;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 75 })
    .toBuffer();
}

/** `jpeg` with a comment segment after its start marker: other bytes (and SHA-256), the same pixels. */
function withComment(jpeg: Buffer, text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const header = Buffer.from([0xff, 0xfe, (body.length + 2) >> 8, (body.length + 2) & 0xff]);
  return Buffer.concat([jpeg.subarray(0, 2), header, body, jpeg.subarray(2)]);
}

type Image = { bytes: Buffer; width: number; height: number };

/** A photo-like 1024x768 JPEG, or a small one from the pool made distinct by a comment. */
async function imageFor(item: Planned, pool: readonly Buffer[]): Promise<Image> {
  if (item.fullSize) {
    const bytes = await sharp(Buffer.from(sceneSvg(1024, 768, item.seed)))
      .jpeg({ quality: 88 })
      .toBuffer();
    return { bytes, width: 1024, height: 768 };
  }
  const base = pool[item.seed % pool.length] as Buffer;
  return { bytes: withComment(base, `restyle synthetic ${item.seed}`), ...TINY };
}

async function write(item: Planned, pool: readonly Buffer[]): Promise<void> {
  const image = await imageFor(item, pool);
  const input = { ...item.input, image: image.bytes };
  const xmp = embedXmp(image.bytes, 'jpeg', provenanceXmp(input, '0.1.0', item.savedAt, item.id));
  const sidecar = buildSidecar({
    id: item.id,
    appVersion: '0.1.0',
    input,
    image: { format: 'jpeg', ext: 'jpg', width: image.width, height: image.height },
    fileName: item.fileName,
    savedAt: item.savedAt,
    xmp: xmp !== null,
  });
  if (item.crop) sidecar.source.crop = item.crop;
  if (item.user) sidecar.user = item.user;
  const imagePath = join(item.folder, item.fileName);
  const saved = xmp ?? image.bytes;
  // Rated as the window rates: `xmp:Rating` in the image too.
  const rating = item.user?.rating ?? 0;
  writeFileSync(sidecarPathFor(imagePath), serializeSidecar(sidecar));
  writeFileSync(imagePath, (rating > 0 && ratedImage(saved, item.id, rating, sidecar)) || saved);
}

/** Writes the library; returns what it holds. Existing files of the same names are overwritten. */
export async function writeSyntheticLibrary(
  options: SyntheticLibraryOptions,
): Promise<SyntheticLibrary> {
  const { planned, summary } = plan(options);
  for (const folder of new Set(planned.map((p) => p.folder)))
    mkdirSync(folder, { recursive: true });
  const pool = await Promise.all(
    Array.from({ length: Math.min(POOL, planned.length) }, (_, i) => tinyJpeg(i)),
  );
  let next = 0;
  let written = 0;
  const worker = async () => {
    for (let i = next++; i < planned.length; i = next++) {
      await write(planned[i] as Planned, pool);
      written += 1;
      if (written % 5000 === 0) options.onProgress?.(written);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  return summary;
}
