import * as path from 'node:path';

/**
 * Whether `file` is `folder` or lies below it. A sibling whose name starts with two dots
 * (`..foo`) is inside; a path on another Windows drive is not. `paths` is for tests of the other
 * platform's rules.
 */
export function isInside(folder: string, file: string, paths: typeof path = path): boolean {
  const relative = paths.relative(folder, file);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${paths.sep}`) && !paths.isAbsolute(relative));
}

/** `file` relative to `folder` with `/` separators, or undefined when it is not inside. */
export function relativeInside(folder: string, file: string, paths: typeof path = path): string | undefined {
  return isInside(folder, file, paths) ? paths.relative(folder, file).split(paths.sep).join('/') : undefined;
}
