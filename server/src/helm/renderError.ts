import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Range } from '../model/source';
import { templateFile, type Chart } from './chartModels';
import { isInside } from '../workspace/paths';

/** Where helm's error points: a file of the chart (or a values file) and, where helm says, the line. */
export interface RenderErrorLocation {
  uri: string;
  range: Range;
  /** Helm named the line (not only the file). */
  lineKnown: boolean;
}

/** `(chart/templates/x.yaml:6)`, `(…:6:11)`, `template: chart/…:6:11:`, `Error: chart/…:6:11`, `YAML parse error on chart/…` */
const TEMPLATE = /(?:\(|template: |error on |^Error: )([^\s():]+\/[^\s():]+)(?::(\d+))?(?::(\d+))?/m;
/** `cannot load values.yaml: … yaml: line 16: …` (the chart's own values) */
const CHART_VALUES = /cannot load (values\.ya?ml)\b[^\n]*?\bline (\d+)/;
/** `failed to parse /path/values-x.yaml: … yaml: line 2: …` (a values file given with -f) */
const VALUES_FILE = /failed to parse (\S+?): [^\n]*?\bline (\d+)/;

/**
 * The place helm's message names, in the user's own files: `renderDir` (a temporary copy holding
 * unsaved documents) is read as `chart.dir`. Undefined when helm names no file of the chart.
 */
export function renderErrorLocation(
  chart: Chart,
  message: string,
  renderDir: string,
  textOf: (file: string) => string | undefined,
): RenderErrorLocation | undefined {
  const values = CHART_VALUES.exec(message);
  if (values) return at(path.join(chart.dir, values[1]), Number(values[2]), textOf);
  const valuesFile = VALUES_FILE.exec(message);
  if (valuesFile) {
    const file = userPath(valuesFile[1], chart.dir, renderDir);
    if (textOf(file) !== undefined) return at(file, Number(valuesFile[2]), textOf);
  }
  const template = TEMPLATE.exec(message);
  const file = template ? templateFile(chart, template[1]) : undefined;
  if (!template || !file || textOf(file) === undefined) return undefined;
  return at(file, template[2] ? Number(template[2]) : undefined, textOf);
}

/** helm's message with the temporary copy's paths written as the chart's own. */
export function withUserPaths(message: string, chartDir: string, renderDir: string): string {
  return renderDir === chartDir ? message : message.split(renderDir).join(chartDir);
}

function userPath(file: string, chartDir: string, renderDir: string): string {
  return isInside(renderDir, file) ? path.join(chartDir, path.relative(renderDir, file)) : file;
}

/**
 * The whole text of helm's 1-based line, so the squiggle shows. Its columns are left aside: they
 * count from places in the parse tree, not from where the expression is written.
 */
function at(file: string, line: number | undefined, textOf: (file: string) => string | undefined): RenderErrorLocation {
  const lines = (textOf(file) ?? '').split(/\r?\n/);
  const index = line === undefined ? 0 : Math.min(Math.max(0, line - 1), Math.max(0, lines.length - 1));
  const text = lines[index] ?? '';
  const indent = text.length - text.trimStart().length;
  const start = indent;
  const end = Math.max(start, text.trimEnd().length);
  return {
    uri: URI.file(file).toString(),
    range: { start: { line: index, character: start }, end: { line: index, character: end } },
    lineKnown: line !== undefined,
  };
}
