// Draws images/icon.png (128×128): a Kubernetes-blue shield with a white lens on it.
// Node built-ins only: shapes are sampled 4×4 per pixel for smooth edges, then packed as PNG.
// Usage: node scripts/make-icon.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4;
const BLUE = [0x32, 0x6c, 0xe5];
const WHITE = [0xff, 0xff, 0xff];

// Flat top with rounded corners, straight sides, then a parabola narrowing to the point.
function inShield(x, y) {
  const top = 12,
    shoulder = 62,
    bottom = 120,
    half = 46,
    corner = 10;
  if (y < top || y > bottom) return false;
  const dx = Math.abs(x - 64);
  if (y <= shoulder) {
    if (y < top + corner && dx > half - corner) return Math.hypot(dx - (half - corner), y - (top + corner)) <= corner;
    return dx <= half;
  }
  const t = (y - shoulder) / (bottom - shoulder);
  return dx <= half * (1 - t * t);
}

function distanceToSegment(x, y, [ax, ay], [bx, by]) {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
}

// The lens: a ring, a dot in its middle (the port) and a handle towards the lower right.
function inLens(x, y) {
  const r = Math.hypot(x - 57, y - 56);
  return (r >= 15 && r <= 23) || r <= 5.5 || distanceToSegment(x, y, [74, 73], [88, 87]) <= 5.5;
}

function pixel(px, py) {
  let shield = 0,
    lens = 0;
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      const x = px + (sx + 0.5) / SAMPLES,
        y = py + (sy + 0.5) / SAMPLES;
      if (inShield(x, y)) {
        shield++;
        if (inLens(x, y)) lens++;
      }
    }
  }
  if (shield === 0) return [0, 0, 0, 0];
  const mix = lens / shield;
  const rgb = BLUE.map((c, i) => Math.round(c + (WHITE[i] - c) * mix));
  return [...rgb, Math.round((255 * shield) / SAMPLES ** 2)];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const raw = Buffer.alloc(SIZE * (1 + SIZE * 4));
for (let y = 0; y < SIZE; y++) {
  const row = y * (1 + SIZE * 4); // each row starts with filter type 0 (none)
  for (let x = 0; x < SIZE; x++) Buffer.from(pixel(x, y)).copy(raw, row + 1 + x * 4);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, deflate, no filter set, no interlace

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync(new URL('../images/', import.meta.url), { recursive: true });
writeFileSync(new URL('../images/icon.png', import.meta.url), png);
console.log(`images/icon.png: ${png.length} bytes`);
