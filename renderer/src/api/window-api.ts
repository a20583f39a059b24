import type { BrowseResult } from '../../../shared/bridge';
import type { RestyleApi } from '../../../shared/contract';

/**
 * What the window may hold: the contract, plus, only on the dev bridge, a way
 * to list folders for the page's own folder browser (a browser has no OS
 * chooser). Electron's preload never offers `browse`: the app's window cannot
 * list folders.
 */
export interface WindowApi extends RestyleApi {
  /** Lists a folder's subfolders and images; null lists the home folder. */
  browse?(path: string | null): Promise<BrowseResult>;
}
