import type { StateCreator } from 'zustand';
import type { RestyleApi } from '../../../shared/contract';
import { MAX_VARIANTS, PROMPT_MAX_CHARS, STYLE_PRESETS } from '../../../shared/models';
import type { PhotoReason, PhotoRecord, PhotoStatus } from '../../../shared/photos';
import { recipeKey, type Recipe } from '../../../shared/recipe';
import type { AppError } from '../../../shared/result';
import { MAX_SAVED_RECIPES, type SavedRecipe } from '../../../shared/settings';
import type { AppState } from './app-store';
import type { ScanInbox } from './scan-inbox';

export const STYLE_TABS = ['preset', 'reference', 'prompt'] as const;
export type StyleTab = (typeof STYLE_TABS)[number];

/** The custom style reference image, identified by intake (hash, checks, thumbnail). */
export interface StyleReference {
  path: string;
  name: string;
  hash: string | null;
  /** Null while intake looks at it. */
  status: PhotoStatus | null;
  reason?: PhotoReason;
  thumbnails: boolean;
}

export interface StyleSlice {
  styleTab: StyleTab;
  presetIndex: number | null;
  reference: StyleReference | null;
  referenceScanId: string | null;
  promptText: string;
  variants: number;
  /** The recipe a run would use; null until the chosen tab is complete. */
  recipe: Recipe | null;
  styleError: AppError | null;
  /** Per preset index, the newest library result made in that style (its preview). */
  presetPreviews: Partial<Record<number, string>>;
  loadPresetPreviews(): Promise<void>;
  /** A result was saved: it becomes its preset's preview. */
  receiveResult(item: { id: string; recipe: Recipe }): void;
  setStyleTab(tab: StyleTab): void;
  pickPreset(index: number): void;
  setPromptText(text: string): void;
  setVariants(variants: number): void;
  chooseReference(): Promise<void>;
  receiveReference(records: PhotoRecord[]): void;
  saveRecipe(name: string): Promise<boolean>;
  applySavedRecipe(index: number): void;
  deleteSavedRecipe(index: number): Promise<void>;
}

type StyleFields = Pick<
  StyleSlice,
  'styleTab' | 'presetIndex' | 'reference' | 'promptText' | 'variants'
>;

/** The recipe the chosen tab describes, when it is complete. */
export function recipeOf(fields: StyleFields): Recipe | null {
  switch (fields.styleTab) {
    case 'preset':
      return fields.presetIndex === null
        ? null
        : { kind: 'preset', styleIndex: fields.presetIndex };
    case 'reference': {
      const ref = fields.reference;
      const usable = ref?.hash && (ref.status === 'ready' || ref.status === 'adjusted');
      return usable && ref.hash
        ? { kind: 'reference', refPath: ref.path, refHash: ref.hash }
        : null;
    }
    case 'prompt': {
      const prompt = fields.promptText.trim();
      return prompt
        ? { kind: 'prompt', prompt, function: 'stylization_all', variants: fields.variants }
        : null;
    }
  }
}

const nameOf = (path: string) =>
  path
    .split(/[\\/]+/)
    .filter(Boolean)
    .pop() ?? path;

export const createStyleSlice =
  (api: RestyleApi, inbox: ScanInbox): StateCreator<AppState, [], [], StyleSlice> =>
  (set, get) => {
    /** Applies a change to the style fields and recomputes the recipe. */
    const change = (patch: Partial<StyleFields>) =>
      set((state) => {
        const next = { ...pickFields(state), ...patch };
        return { ...patch, recipe: recipeOf(next) };
      });

    const saved = (): SavedRecipe[] => get().settings?.savedRecipes ?? [];

    return {
      styleTab: 'preset',
      presetIndex: null,
      reference: null,
      referenceScanId: null,
      promptText: '',
      variants: 1,
      recipe: null,
      styleError: null,
      presetPreviews: {},

      async loadPresetPreviews() {
        const found = await Promise.all(
          STYLE_PRESETS.map(async ({ index }) => {
            const listed = await api.invoke('library:list', {
              recipeKey: recipeKey({ kind: 'preset', styleIndex: index }),
              limit: 1,
            });
            // No library yet, or none in this style: the drawn swatch stays.
            const id = listed.ok ? listed.value.entries[0]?.id : undefined;
            return id ? ([index, id] as const) : null;
          }),
        );
        set({ presetPreviews: Object.fromEntries(found.filter((entry) => entry !== null)) });
      },

      receiveResult({ id, recipe }) {
        if (recipe.kind !== 'preset') return;
        set((state) => ({ presetPreviews: { ...state.presetPreviews, [recipe.styleIndex]: id } }));
      },

      setStyleTab: (styleTab) => change({ styleTab }),
      pickPreset: (presetIndex) => change({ presetIndex, styleTab: 'preset' }),
      setPromptText: (text) => change({ promptText: text.slice(0, PROMPT_MAX_CHARS) }),
      setVariants: (variants) =>
        change({ variants: Math.min(MAX_VARIANTS, Math.max(1, Math.round(variants))) }),

      async chooseReference() {
        const chosen = await get().choosePaths('reference');
        if (!chosen.ok) return set({ styleError: chosen.error });
        const path = chosen.value?.[0];
        if (!path) return;
        inbox.begin();
        const started = await api.invoke('intake:add-paths', { paths: [path] });
        if (!started.ok) {
          inbox.end(null);
          return set({ styleError: started.error });
        }
        set({ referenceScanId: started.value.scanId, styleError: null });
        change({
          styleTab: 'reference',
          reference: { path, name: nameOf(path), hash: null, status: null, thumbnails: false },
        });
        for (const event of inbox.end(started.value.scanId)) {
          if ('photos' in event) get().receiveReference(event.photos);
        }
      },

      receiveReference(records) {
        const record = records[0];
        if (!record) return;
        change({
          reference: {
            path: record.path,
            name: record.name,
            hash: record.hash,
            status: record.status,
            ...(record.reason ? { reason: record.reason } : {}),
            thumbnails: record.thumbnails,
          },
        });
      },

      async saveRecipe(name) {
        const recipe = get().recipe;
        if (!recipe || !name.trim()) return false;
        const others = saved().filter((entry) => entry.name !== name.trim());
        const savedRecipes = [{ name: name.trim(), recipe }, ...others].slice(0, MAX_SAVED_RECIPES);
        return get().updateSettings({ savedRecipes });
      },

      applySavedRecipe(index) {
        const entry = saved()[index];
        if (!entry) return;
        const { recipe } = entry;
        if (recipe.kind === 'preset')
          change({ styleTab: 'preset', presetIndex: recipe.styleIndex });
        else if (recipe.kind === 'prompt') {
          change({ styleTab: 'prompt', promptText: recipe.prompt, variants: recipe.variants });
        } else {
          change({
            styleTab: 'reference',
            reference: {
              path: recipe.refPath,
              name: nameOf(recipe.refPath),
              hash: recipe.refHash,
              status: 'ready',
              thumbnails: true,
            },
          });
        }
      },

      async deleteSavedRecipe(index) {
        await get().updateSettings({ savedRecipes: saved().filter((_, i) => i !== index) });
      },
    };
  };

function pickFields(state: StyleFields): StyleFields {
  const { styleTab, presetIndex, reference, promptText, variants } = state;
  return { styleTab, presetIndex, reference, promptText, variants };
}
