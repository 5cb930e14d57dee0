import { spawn } from 'node:child_process';
import * as path from 'node:path';

export interface KustomizeRun {
  /** `kubectl`, or a `kustomize` executable (then `kustomize build` is run). */
  executable: string;
  /** The folder holding the kustomization to build. */
  dir: string;
  enableHelm: boolean;
  timeoutMs: number;
  /** A private, empty home for the run: nothing of the user's config is read. */
  home: string;
  maxOutputBytes: number;
  signal?: AbortSignal;
}

export type KustomizeResult =
  { ok: true; stdout: string } | { ok: false; reason: 'missing' | 'failed' | 'timeout' | 'too-large' | 'cancelled'; message: string };

const MAX_ERROR_CHARS = 4000;

/** `kubectl kustomize DIR` or `kustomize build DIR`, with `--enable-helm` only when asked. */
export function kustomizeArgs(executable: string, dir: string, enableHelm: boolean): string[] {
  const standalone = /^kustomize(?:\.exe)?$/i.test(path.basename(executable));
  return [...(standalone ? ['build'] : ['kustomize']), dir, ...(enableHelm ? ['--enable-helm'] : [])];
}

/**
 * Runs the build with an empty home and no way to the network: git only speaks `file`, and any
 * HTTP fetch goes to a proxy that does not exist. Killed (with its children) on timeout, on too
 * much output, or when `signal` aborts.
 */
export function runKustomize(run: KustomizeRun): Promise<KustomizeResult> {
  if (run.signal?.aborted) return Promise.resolve({ ok: false, reason: 'cancelled', message: 'cancelled' });
  const noProxy = 'http://127.0.0.1:9';
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    HOME: run.home,
    XDG_CONFIG_HOME: path.join(run.home, 'config'),
    XDG_CACHE_HOME: path.join(run.home, 'cache'),
    KUBECONFIG: path.join(run.home, 'kubeconfig'),
    HELM_CONFIG_HOME: path.join(run.home, 'helm'),
    HELM_CACHE_HOME: path.join(run.home, 'helm-cache'),
    HELM_DATA_HOME: path.join(run.home, 'helm-data'),
    GIT_ALLOW_PROTOCOL: 'file',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    HTTP_PROXY: noProxy,
    HTTPS_PROXY: noProxy,
    http_proxy: noProxy,
    https_proxy: noProxy,
    NO_PROXY: '',
    no_proxy: '',
  };
  const name = path.basename(run.executable);
  return new Promise((resolve) => {
    const child = spawn(run.executable, kustomizeArgs(run.executable, run.dir, run.enableHelm), {
      cwd: run.dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let outcome: KustomizeResult | undefined;

    const stop = (result: KustomizeResult) => {
      outcome ??= result;
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    const seconds = run.timeoutMs / 1000;
    const timer = setTimeout(
      () => stop({ ok: false, reason: 'timeout', message: `the build took longer than ${seconds} s and was stopped` }),
      run.timeoutMs,
    );
    const onAbort = () => stop({ ok: false, reason: 'cancelled', message: 'cancelled' });
    run.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (result: KustomizeResult) => {
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };

    child.stdout.on('data', (chunk: Buffer) => {
      if (outcome) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > run.maxOutputBytes)
        stop({ ok: false, reason: 'too-large', message: `the build printed more than ${run.maxOutputBytes} bytes` });
      else stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_ERROR_CHARS) stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      outcome ??=
        error.code === 'ENOENT'
          ? {
              ok: false,
              reason: 'missing',
              message: `${name} was not found ("${run.executable}"): install kubectl or set portLens.kustomize.path`,
            }
          : { ok: false, reason: 'failed', message: `${name} could not be started: ${error.message}` };
      if (child.pid === undefined) finish(outcome);
    });
    child.on('close', (code, signal) => {
      if (child.pid === undefined) return;
      if (outcome) return finish(outcome);
      if (code === 0) return finish({ ok: true, stdout: Buffer.concat(stdout).toString('utf8') });
      finish({ ok: false, reason: 'failed', message: errorText(stderr) || `${name} exited with ${signal ?? `code ${code}`}` });
    });
  });
}

function errorText(stderr: string): string {
  const text = stderr
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .join('\n')
    .replace(/^Error: /, '')
    .trim();
  return text.length > MAX_ERROR_CHARS / 2 ? `${text.slice(0, MAX_ERROR_CHARS / 2)}…` : text;
}
