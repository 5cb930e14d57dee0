/**
 * A floor of the benchmark, in its own process: `read` walks the workspace and reads every file
 * (synchronously: the fastest way in Node);
 * `parse` also gives each file to yaml.parseAllDocuments (yaml's Node build, which `require('yaml')`
 * gives a Node program); `parse-browser` the same with yaml's browser build, which the bundles use;
 * `prefilter` gives it to parseManifests (only the documents that matter parsed, with the Node
 * build), on this one thread. Prints {"ms": …, "files": …}.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { scanPaths } from '../../server/src/files';
import { parseManifests } from '../../server/src/model/parse';

async function main(mode: string, root: string): Promise<void> {
  const browserBuild = path.join(path.dirname(require.resolve('yaml/package.json')), 'browser/index.js');
  const parseWith: typeof parseAllDocuments =
    mode === 'parse-browser' ? (await import(pathToFileURL(browserBuild).href)).parseAllDocuments : parseAllDocuments;
  const started = performance.now();
  const { files } = await scanPaths([root]);
  let documents = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (mode === 'parse' || mode === 'parse-browser') documents += parseWith(text).length;
    if (mode === 'prefilter') documents += parseManifests(file, text).pods.length;
  }
  process.stdout.write(JSON.stringify({ ms: performance.now() - started, files: files.length, documents }) + '\n');
}

void main(process.argv[2], process.argv[3]);
