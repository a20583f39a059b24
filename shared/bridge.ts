/**
 * Routes of the loopback dev bridge, which serves the contract to a browser
 * page (end-to-end tests, `npm run preview`). The packaged app never starts it.
 */
export const BRIDGE_ROUTES = {
  invoke: '/api/invoke/',
  events: '/api/events',
  thumbnail: '/api/thumbnail/',
  result: '/api/result/',
  /**
   * `GET /api/browse?path=<absolute folder>` lists one folder for the page's
   * own folder browser (the OS chooser cannot open in a browser). Bridge only:
   * not a contract channel, so the app's window can never list folders.
   */
  browse: '/api/browse',
} as const;

/** The header (or, for EventSource and <img>, the query parameter) carrying the token. */
export const BRIDGE_TOKEN_HEADER = 'x-restyle-token';
export const BRIDGE_TOKEN_PARAM = 'token';

/** One folder or image file in a listing. */
export interface FolderEntry {
  name: string;
  /** Absolute path, as the chooser would answer it. */
  path: string;
}

/** What `GET /api/browse` answers: one folder's subfolders and image files. */
export interface FolderListing {
  /** The folder listed: absolute and normalised. */
  path: string;
  /** Its parent; null at a root (`/`, `C:\`). */
  parent: string | null;
  /** The user's home folder, where browsing starts. */
  home: string;
  /** Subfolders by name (hidden and system folders left out), at most `BROWSE_MAX_ENTRIES`. */
  folders: FolderEntry[];
  /** Image files by extension (hidden files left out), at most `BROWSE_MAX_ENTRIES`. */
  images: FolderEntry[];
  /** How many subfolders and images there are, listed or not. */
  folderCount: number;
  imageCount: number;
}

/** A listing is cut after this many folders and this many images. */
export const BROWSE_MAX_ENTRIES = 1000;

export const BROWSE_ERROR_CODES = [
  /** Not an absolute path, a NUL byte, too long, or a malformed % escape. */
  'invalid_path',
  /** Nothing there (or a link that leads nowhere, or round in a loop). */
  'not_found',
  /** A file, not a folder. */
  'not_a_folder',
  /** The folder exists but may not be read (permissions). */
  'unreadable',
  /** The bridge could not be reached, or answered something else. */
  'failed',
] as const;
export type BrowseErrorCode = (typeof BROWSE_ERROR_CODES)[number];

export type BrowseResult =
  | { ok: true; value: FolderListing }
  | { ok: false; error: { code: BrowseErrorCode; message: string } };
