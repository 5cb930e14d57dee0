import { objectsOf, type FileModel } from '../model/manifest';
import { containsPosition, type Position } from '../model/source';
import { templateFile, type Chart } from './chartModels';
import type { FileSystem } from '../workspace/host';

/** The `# Source:` template of the object at `position` of a committed render, if it names one. */
export function helmSourceAt(model: FileModel, position: Position): string | undefined {
  const objects = objectsOf(model);
  return objects.find((o) => o.ref.helmSource && containsPosition(o.ref.range, position))?.ref.helmSource;
}

/** The template file a `# Source:` path names among the workspace's charts, if it is there. */
export function findTemplate(source: string, charts: Iterable<Chart>, fs: FileSystem): string | undefined {
  for (const chart of charts) {
    const file = templateFile(chart, source);
    if (file && fs.exists(file)) return file;
  }
  return undefined;
}
