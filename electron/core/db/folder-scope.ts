/**
 * A folder and the folders below it, in SQL: the library's album filter and
 * the queue's album jobs ask it the same way. `Trip` takes `Trip` and
 * `Trip/day 1`, never `Trip 2` nor `TRIP/x`. The folders below are one range
 * of the column (`Trip/` up to `Trip0`, '0' being the character after '/'),
 * so an index on the column finds them at once, where LIKE would read every
 * row (and match letters in any case).
 */
export function folderScope(
  column: string,
  folder: string,
  name = 'folder',
): { sql: string; params: Record<string, string> } {
  return {
    sql: `(${column} = @${name} OR (${column} >= @${name}Below AND ${column} < @${name}End))`,
    params: { [name]: folder, [`${name}Below`]: `${folder}/`, [`${name}End`]: `${folder}0` },
  };
}

/** The album a photo's folder belongs to as the user sees it: the folder dropped, its first part. */
export const albumOf = (folder: string): string => folder.split('/', 1)[0] ?? '';
