// Bundles the VS Code client, the language server and the CLI into dist/.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const production = process.argv.includes('--production');

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * yaml's Node build reads process.env.LOG_TOKENS for every token it parses (a debugging aid),
 * which costs about a quarter of its parse time; its browser build is the same code without it.
 */
const yamlBrowserBuild = {
  name: 'yaml-browser-build',
  setup(build) {
    const entry = fileURLToPath(new URL('../node_modules/yaml/browser/index.js', import.meta.url));
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: entry }));
  },
};

const common = {
  define: { PACKAGE_VERSION: JSON.stringify(version) },
  plugins: [yamlBrowserBuild],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // The Port Map webview's script runs in the webview, a browser: no Node, no remote resources.
  build({
    ...common,
    plugins: [],
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    entryPoints: ['client/src/webview/portMap.ts'],
    outfile: 'dist/webview/portMap.js',
  }),
]);
