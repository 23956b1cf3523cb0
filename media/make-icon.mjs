// Draws media/icon.png (128×128): a loop that a coroutine goes round, opening on the right where an arrow
// sends a value out: yield. Plain Node (zlib for the PNG), supersampled for smooth edges. Run:
// node media/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SS = 4; // samples per axis per pixel
const cx = 54;
const cy = 64;
const R = 34;
const RING = 11; // ring thickness
const GAP = Math.PI / 4; // the arc runs from +45° to +315° (clockwise on screen)

const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const BG_A = rgb('#1e1b4b');
const BG_B = rgb('#3730a3');
const TEAL = rgb('#2dd4bf');
const AMBER = rgb('#fbbf24');

const at = (theta, r = R) => [cx + r * Math.cos(theta), cy + r * Math.sin(theta)];
const end = 2 * Math.PI - GAP;
const [ex, ey] = at(end);
const [tx, ty] = [-Math.sin(end), Math.cos(end)]; // clockwise tangent at the arc's end
const [nx, ny] = [Math.cos(end), Math.sin(end)]; // outward normal
const head = [
  [ex + tx * 17, ey + ty * 17],
  [ex + nx * 13, ey + ny * 13],
  [ex - nx * 13, ey - ny * 13],
];

function inTriangle(px, py, [a, b, c]) {
  const s = (p, q, r) => (p[0] - r[0]) * (q[1] - r[1]) - (q[0] - r[0]) * (p[1] - r[1]);
  const p = [px, py];
  const d1 = s(p, a, b);
  const d2 = s(p, b, c);
  const d3 = s(p, c, a);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

function inRoundedSquare(px, py) {
  const r = 26;
  const qx = Math.max(Math.abs(px - 64) - (64 - r), 0);
  const qy = Math.max(Math.abs(py - 64) - (64 - r), 0);
  return Math.hypot(qx, qy) <= r;
}

/** The colour at a sample point, or undefined outside the icon. */
function sample(px, py) {
  if (!inRoundedSquare(px, py)) return undefined;
  if (Math.hypot(px - 106, py - 64) <= 10) return AMBER;
  if (inTriangle(px, py, head)) return TEAL;
  const d = Math.hypot(px - cx, py - cy);
  let theta = Math.atan2(py - cy, px - cx);
  if (theta < 0) theta += 2 * Math.PI;
  if (Math.abs(d - R) <= RING / 2 && theta >= GAP && theta <= end) return TEAL;
  // Round cap at the arc's start.
  const [sx, sy] = at(GAP);
  if (Math.hypot(px - sx, py - sy) <= RING / 2) return TEAL;
  const t = (px + py) / (2 * SIZE);
  return BG_A.map((a, i) => a + (BG_B[i] - a) * t);
}

const raw = Buffer.alloc(SIZE * (1 + SIZE * 4));
for (let y = 0; y < SIZE; y++) {
  raw[y * (1 + SIZE * 4)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = sample(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
        if (!c) continue;
        for (let i = 0; i < 3; i++) acc[i] += c[i];
        acc[3] += 1;
      }
    }
    const o = y * (1 + SIZE * 4) + 1 + x * 4;
    const n = acc[3];
    for (let i = 0; i < 3; i++) raw[o + i] = n ? Math.round(acc[i] / n) : 0;
    raw[o + 3] = Math.round((255 * n) / (SS * SS));
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`media/icon.png: ${png.length} bytes`);
