// Fails when a source line of server/src or client/src is longer than 140 characters (Prettier
// wraps code at 140 but leaves long strings and comments alone).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const LIMIT = 140;
const FOLDERS = ['server/src', 'client/src'];

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) yield* sources(file);
    else if (/\.(ts|mts|js|mjs)$/.test(name)) yield file;
  }
}

const long = [];
for (const folder of FOLDERS) {
  for (const file of sources(folder)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.length > LIMIT) long.push(`${file}:${i + 1}: ${line.length} characters`);
      });
  }
}
if (long.length > 0) {
  console.error(`${long.length} lines over ${LIMIT} characters:\n${long.join('\n')}`);
  process.exit(1);
}
