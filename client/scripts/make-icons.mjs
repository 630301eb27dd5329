/* global Buffer, URL, console */
// Writes the PWA icons (PNG, no dependencies): a white outpost flag on the brand blue.
// Run: node client/scripts/make-icons.mjs — the PNGs are committed under client/public/icons.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const BLUE = [0x1f, 0x4b, 0x99];
const WHITE = [0xff, 0xff, 0xff];
const out = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'public', 'icons');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
/** @param {Buffer} buf */
function crc32(buf) {
  let c = 0xffffffff;
  // `& 0xff` keeps the index within the table's 256 entries.
  for (const b of buf) c = /** @type {number} */ (CRC_TABLE[(c ^ b) & 0xff]) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
/**
 * @param {string} type
 * @param {Buffer} data
 */
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/**
 * A square RGB PNG of the glyph on blue, `size` pixels wide; `scale` shrinks the glyph around
 * the centre, `rounded` whitens the corners.
 * @param {number} size
 * @param {{ rounded: boolean, scale: number }} options
 */
function png(size, { rounded, scale }) {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  const r = size * 0.18;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      // Rounded corners are transparent-looking white only for the "any" icon; the maskable
      // icon is full-bleed so the platform mask can cut it.
      const cx = Math.min(x, size - 1 - x);
      const cy = Math.min(y, size - 1 - y);
      const corner = rounded && cx < r && cy < r && (r - cx) ** 2 + (r - cy) ** 2 > r * r;
      const u = (x / size - 0.5) / scale + 0.5;
      const v = (y / size - 0.5) / scale + 0.5;
      const color = corner ? WHITE : glyph(u, v) ? WHITE : BLUE;
      raw.set(color, y * (size * 3 + 1) + 1 + x * 3);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A flag on a pole above a hill: pole, pennant (triangle), ground arc. Says whether the point
 * (u, v), in unit coordinates (0..1), is part of the glyph.
 * @param {number} u
 * @param {number} v
 */
function glyph(u, v) {
  const pole = u > 0.36 && u < 0.41 && v > 0.2 && v < 0.72;
  const t = (v - 0.2) / 0.22; // pennant from v=0.2 to v=0.42, pointing right
  const pennant = v >= 0.2 && v <= 0.42 && u >= 0.41 && u <= 0.41 + 0.3 * (1 - Math.abs(2 * t - 1));
  const hill = v > 0.7 && v < 0.8 && (u - 0.5) ** 2 / 0.11 + (v - 0.8) ** 2 / 0.012 < 1;
  return pole || pennant || hill;
}

fs.mkdirSync(out, { recursive: true });
/** @type {[name: string, data: Buffer][]} */
const files = [
  ['icon-192.png', png(192, { rounded: true, scale: 1 })],
  ['icon-512.png', png(512, { rounded: true, scale: 1 })],
  ['maskable-512.png', png(512, { rounded: false, scale: 0.75 })],
  ['apple-touch-icon.png', png(180, { rounded: false, scale: 0.9 })],
];
for (const [name, data] of files) {
  fs.writeFileSync(path.join(out, name), data);
  console.log(`${name}: ${data.length} bytes`);
}
