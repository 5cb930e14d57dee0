import type { SeverityOverride, SeverityOverrides } from '../analysis/portLens';
import { RULE_CODES } from '../analysis/rules/registry';
import { DEFAULT_SCAN_OPTIONS, type ScanOptions } from '../files';
import { DEFAULT_HELM_OPTIONS, type HelmOptions } from '../helm/chartRenderer';
import type { ChartRelease } from '../helm/chartRelease';
import { DEFAULT_KUSTOMIZE_OPTIONS, type KustomizeOptions } from '../kustomize/buildRoot';

/** The `portLens.*` settings the server uses. */
export interface Settings {
  enable: boolean;
  severity: SeverityOverrides;
  files: ScanOptions;
  helm: HelmOptions & { enable: boolean };
  kustomize: KustomizeOptions & { enable: boolean };
  /** `portLens.codeLens.enable`: the reachability and port map lenses. */
  codeLens: { enable: boolean };
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  severity: {},
  files: DEFAULT_SCAN_OPTIONS,
  helm: { enable: true, ...DEFAULT_HELM_OPTIONS },
  kustomize: { enable: true, ...DEFAULT_KUSTOMIZE_OPTIONS },
  codeLens: { enable: true },
};

const LEVELS: readonly string[] = ['off', 'information', 'warning', 'error'];

const stringArray = (value: unknown, fallback: readonly string[]) =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : fallback;

/** `portLens.helm.charts`: chart folder → `{namespace?, releaseName?}`; entries of the wrong shape are left out. */
function chartReleases(raw: unknown): { charts?: Record<string, ChartRelease> } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const charts: Record<string, ChartRelease> = {};
  for (const [dir, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!value || typeof value !== 'object') continue;
    const { namespace, releaseName } = value as Record<string, unknown>;
    const release: ChartRelease = {};
    if (typeof namespace === 'string' && namespace.trim() !== '') release.namespace = namespace.trim();
    if (typeof releaseName === 'string' && releaseName.trim() !== '') release.releaseName = releaseName.trim();
    if (release.namespace || release.releaseName) charts[dir] = release;
  }
  return Object.keys(charts).length > 0 ? { charts } : {};
}

/** Reads what the client sent, keeping the default for anything missing or malformed. */
export function toSettings(raw: unknown): Settings {
  if (!raw || typeof raw !== 'object') return DEFAULT_SETTINGS;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- every field is checked below
  const r = raw as Record<string, any>;
  const severity: SeverityOverrides = {};
  for (const code of RULE_CODES) {
    const level = r.severity?.[code];
    if (typeof level === 'string' && LEVELS.includes(level)) severity[code] = level as SeverityOverride;
  }
  const files = r.files ?? {};
  const helm = r.helm ?? {};
  const kustomize = r.kustomize ?? {};
  const text = (value: unknown, fallback: string) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback);
  return {
    enable: typeof r.enable === 'boolean' ? r.enable : DEFAULT_SETTINGS.enable,
    severity,
    files: {
      include: stringArray(files.include, DEFAULT_SCAN_OPTIONS.include),
      exclude: stringArray(files.exclude, DEFAULT_SCAN_OPTIONS.exclude),
      maxFileSize: typeof files.maxFileSize === 'number' && files.maxFileSize > 0 ? files.maxFileSize : DEFAULT_SCAN_OPTIONS.maxFileSize,
    },
    helm: {
      enable: typeof helm.enable === 'boolean' ? helm.enable : true,
      path: text(helm.path, DEFAULT_HELM_OPTIONS.path),
      releaseName: text(helm.releaseName, DEFAULT_HELM_OPTIONS.releaseName),
      namespace: text(helm.namespace, DEFAULT_HELM_OPTIONS.namespace),
      valuesFiles: stringArray(helm.valuesFiles, DEFAULT_HELM_OPTIONS.valuesFiles),
      timeoutSeconds:
        typeof helm.timeoutSeconds === 'number' && helm.timeoutSeconds > 0 ? helm.timeoutSeconds : DEFAULT_HELM_OPTIONS.timeoutSeconds,
      ...chartReleases(helm.charts),
    },
    kustomize: {
      enable: typeof kustomize.enable === 'boolean' ? kustomize.enable : true,
      path: text(kustomize.path, DEFAULT_KUSTOMIZE_OPTIONS.path),
      timeoutSeconds:
        typeof kustomize.timeoutSeconds === 'number' && kustomize.timeoutSeconds > 0
          ? kustomize.timeoutSeconds
          : DEFAULT_KUSTOMIZE_OPTIONS.timeoutSeconds,
      enableHelm: kustomize.enableHelm === true,
    },
    codeLens: { enable: typeof r.codeLens?.enable === 'boolean' ? r.codeLens.enable : true },
  };
}
