/**
 * A floor of the benchmark, in its own process: `read` walks the workspace and reads every file
 * (synchronously: the fastest way in Node);
 * `parse` also gives each file to yaml.parseAllDocuments; `prefilter` gives it to parseManifests
 * (only the documents that matter parsed), on this one thread. Prints {"ms": …, "files": …}.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { scanPaths } from '../../server/src/files';
import { parseManifests } from '../../server/src/model/parse';

async function main(mode: string, root: string): Promise<void> {
  const started = performance.now();
  const { files } = await scanPaths([root]);
  let documents = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (mode === 'parse') documents += parseAllDocuments(text).length;
    if (mode === 'prefilter') documents += parseManifests(file, text).pods.length;
  }
  process.stdout.write(JSON.stringify({ ms: performance.now() - started, files: files.length, documents }) + '\n');
}

void main(process.argv[2], process.argv[3]);
