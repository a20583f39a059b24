import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The `.restyle.json` sidecar files on disk under a library folder, counted
 * per task id and image index (`<taskId>#<variant>`): a result saved twice
 * shows as a 2, whatever the index says.
 */
export function sidecarsPerTaskImage(root: string): Map<string, number> {
  const counts = new Map<string, number>();
  const names = readdirSync(root, { recursive: true, encoding: 'utf8' });
  for (const name of names.filter((n) => n.endsWith('.restyle.json'))) {
    const sidecar = JSON.parse(readFileSync(join(root, name), 'utf8')) as {
      task: { id: string };
      variant: number;
    };
    const key = `${sidecar.task.id}#${sidecar.variant}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
