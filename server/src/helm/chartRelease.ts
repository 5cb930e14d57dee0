import * as path from 'node:path';
import type { HelmOptions } from './chartRenderer';

/** One chart's own release settings (`portLens.helm.charts`, `--chart-namespace`): what it sets replaces the global one. */
export interface ChartRelease {
  namespace?: string;
  releaseName?: string;
}

/**
 * The options a chart renders with: the global ones, with the release namespace and name of the
 * chart's entry in `options.charts` — keyed by the chart folder, absolute or relative to the root
 * (`charts/loki`, `/` separators; a leading `./` or trailing `/` is ignored).
 */
export function releaseOptions(dir: string, root: string, options: HelmOptions): HelmOptions {
  const charts = options.charts;
  if (!charts) return options;
  const relative = path.relative(root, dir).split(path.sep).join('/') || '.';
  const normalize = (key: string) =>
    key
      .replace(/\\/g, '/')
      .replace(/^\.\/(?=.)/, '')
      .replace(/(?<=.)\/+$/, '');
  const own = Object.entries(charts).find(([key]) =>
    path.isAbsolute(key) ? path.resolve(key) === path.resolve(dir) : normalize(key) === relative,
  )?.[1];
  if (!own) return options;
  return { ...options, namespace: own.namespace ?? options.namespace, releaseName: own.releaseName ?? options.releaseName };
}
