import type { SeverityOverride, SeverityOverrides } from '../analysis/portLens';
import { RULE_CODES } from '../analysis/rules';
import { DEFAULT_SCAN_OPTIONS, type ScanOptions } from '../files';

/** The `portLens.*` settings the server uses. */
export interface Settings {
  enable: boolean;
  severity: SeverityOverrides;
  files: ScanOptions;
}

export const DEFAULT_SETTINGS: Settings = { enable: true, severity: {}, files: DEFAULT_SCAN_OPTIONS };

const LEVELS: readonly string[] = ['off', 'information', 'warning', 'error'];

const stringArray = (value: unknown, fallback: readonly string[]) =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : fallback;

/** Reads what the client sent, keeping the default for anything missing or malformed. */
export function toSettings(raw: unknown): Settings {
  if (!raw || typeof raw !== 'object') return DEFAULT_SETTINGS;
  const r = raw as Record<string, any>;
  const severity: SeverityOverrides = {};
  for (const code of RULE_CODES) {
    const level = r.severity?.[code];
    if (typeof level === 'string' && LEVELS.includes(level)) severity[code] = level as SeverityOverride;
  }
  const files = r.files ?? {};
  return {
    enable: typeof r.enable === 'boolean' ? r.enable : DEFAULT_SETTINGS.enable,
    severity,
    files: {
      include: stringArray(files.include, DEFAULT_SCAN_OPTIONS.include),
      exclude: stringArray(files.exclude, DEFAULT_SCAN_OPTIONS.exclude),
      maxFileSize: typeof files.maxFileSize === 'number' && files.maxFileSize > 0 ? files.maxFileSize : DEFAULT_SCAN_OPTIONS.maxFileSize,
    },
  };
}
