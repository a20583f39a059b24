/**
 * A folder and the folders below it, in SQL: the library's album filter and
 * the queue's album jobs ask it the same way. `Trip` takes `Trip` and
 * `Trip/day 1`, never `Trip 2` (nor `Trip_x` through LIKE's wildcards).
 */
export function folderScope(
  column: string,
  folder: string,
  name = 'folder',
): { sql: string; params: Record<string, string> } {
  return {
    sql: `(${column} = @${name} OR ${column} LIKE @${name}Below ESCAPE '\\')`,
    params: { [name]: folder, [`${name}Below`]: `${folder.replace(/[\\%_]/g, '\\$&')}/%` },
  };
}

/** The album a photo's folder belongs to as the user sees it: the folder dropped, its first part. */
export const albumOf = (folder: string): string => folder.split('/', 1)[0] ?? '';
