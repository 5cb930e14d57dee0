import * as path from 'node:path';
import type { ProcessResult, ProcessRunner } from '../workspace/host';

export interface KustomizeRun {
  /** `kubectl`, or a `kustomize` executable (then `kustomize build` is run). */
  executable: string;
  /** The folder holding the kustomization to build. */
  dir: string;
  enableHelm: boolean;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
}

/** No way to the network: git only speaks `file`, and any HTTP fetch goes to a proxy that does not exist. */
const DEAD_PROXY = 'http://127.0.0.1:9';
export const NO_NETWORK_ENV: Readonly<Record<string, string>> = {
  GIT_ALLOW_PROTOCOL: 'file',
  GIT_TERMINAL_PROMPT: '0',
  GIT_CONFIG_NOSYSTEM: '1',
  HTTP_PROXY: DEAD_PROXY,
  HTTPS_PROXY: DEAD_PROXY,
  http_proxy: DEAD_PROXY,
  https_proxy: DEAD_PROXY,
  NO_PROXY: '',
  no_proxy: '',
};

/** `kubectl kustomize DIR` or `kustomize build DIR`, with `--enable-helm` only when asked. */
export function kustomizeArgs(executable: string, dir: string, enableHelm: boolean): string[] {
  const standalone = /^kustomize(?:\.exe)?$/i.test(path.basename(executable));
  return [...(standalone ? ['build'] : ['kustomize']), dir, ...(enableHelm ? ['--enable-helm'] : [])];
}

/** Runs the build through the session's runner (an empty home, killed on timeout), without the network. */
export async function runKustomize(runner: ProcessRunner, run: KustomizeRun): Promise<ProcessResult> {
  const result = await runner.run({
    command: run.executable,
    args: kustomizeArgs(run.executable, run.dir, run.enableHelm),
    cwd: run.dir,
    env: NO_NETWORK_ENV,
    title: 'the build',
    timeoutMs: run.timeoutMs,
    maxOutputBytes: run.maxOutputBytes,
    signal: run.signal,
  });
  if (result.ok) return result;
  const name = path.basename(run.executable);
  switch (result.reason) {
    case 'missing':
      return { ...result, message: `${name} was not found ("${run.executable}"): install kubectl or set portLens.kustomize.path` };
    case 'too-large':
      return { ...result, message: `the build printed more than ${run.maxOutputBytes} bytes` };
    case 'failed': {
      // kubectl's own words without its `Error: `; the runner's own words name the program, not its path.
      const own = result.message.startsWith(`${run.executable} `);
      const message = own ? `${name}${result.message.slice(run.executable.length)}` : result.message.replace(/^Error: /, '');
      return { ...result, message };
    }
    default:
      return result;
  }
}
