// Draws the app icon (a white ¥ on WeChat green, rounded square) with pngjs and writes what electron-builder
// needs: build/icon.png (1024), build/icons/<n>x<n>.png (Linux hicolor sizes) and build/icon.ico (Windows; BMP
// entries up to 128 px for old shell code paths, PNG for 256 px). No network, deterministic: run
// `node build/make-icons.mjs` after changing the drawing; the outputs are committed.
import { Buffer } from 'node:buffer';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const here = dirname(fileURLToPath(import.meta.url));
const GREEN = [7, 193, 96];
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
const SUPERSAMPLE = 4;

// Signed distances in a unit square (0..1); negative inside.
function roundedSquare(x, y) {
  const half = 0.46;
  const radius = 0.2;
  const qx = Math.abs(x - 0.5) - (half - radius);
  const qy = Math.abs(y - 0.5) - (half - radius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

function capsule(x, y, ax, ay, bx, by, radius) {
  const px = x - ax;
  const py = y - ay;
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - dx * t, py - dy * t) - radius;
}

// The ¥ sign: two arms meeting at the centre, a stem, two bars.
function yen(x, y) {
  const w = 0.045;
  return Math.min(
    capsule(x, y, 0.3, 0.24, 0.5, 0.5, w),
    capsule(x, y, 0.7, 0.24, 0.5, 0.5, w),
    capsule(x, y, 0.5, 0.5, 0.5, 0.78, w),
    capsule(x, y, 0.33, 0.54, 0.67, 0.54, w * 0.85),
    capsule(x, y, 0.33, 0.66, 0.67, 0.66, w * 0.85),
  );
}

function render(size) {
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = (px + (sx + 0.5) / SUPERSAMPLE) / size;
          const y = (py + (sy + 0.5) / SUPERSAMPLE) / size;
          if (roundedSquare(x, y) <= 0) {
            bg++;
            if (yen(x, y) <= 0) fg++;
          }
        }
      }
      const n = SUPERSAMPLE * SUPERSAMPLE;
      const white = bg === 0 ? 0 : fg / bg;
      const i = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) png.data[i + c] = Math.round(GREEN[c] * (1 - white) + 255 * white);
      png.data[i + 3] = Math.round((255 * bg) / n);
    }
  }
  return png;
}

// A 32-bit BMP (DIB) icon image: BITMAPINFOHEADER, bottom-up BGRA rows, then the 1-bit AND mask.
function dibEntry(png) {
  const size = png.width;
  const maskRow = Math.ceil(size / 32) * 4;
  const out = Buffer.alloc(40 + size * size * 4 + maskRow * size);
  out.writeUInt32LE(40, 0);
  out.writeInt32LE(size, 4);
  out.writeInt32LE(size * 2, 8);
  out.writeUInt16LE(1, 12);
  out.writeUInt16LE(32, 14);
  out.writeUInt32LE(size * size * 4 + maskRow * size, 20);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const src = (y * size + x) * 4;
      const dst = 40 + ((size - 1 - y) * size + x) * 4;
      out[dst] = png.data[src + 2];
      out[dst + 1] = png.data[src + 1];
      out[dst + 2] = png.data[src];
      out[dst + 3] = png.data[src + 3];
      if (png.data[src + 3] === 0) {
        const maskByte = 40 + size * size * 4 + (size - 1 - y) * maskRow + (x >> 3);
        out[maskByte] |= 0x80 >> (x & 7);
      }
    }
  }
  return out;
}

function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, index) => {
    const at = 6 + index * 16;
    header.writeUInt8(size >= 256 ? 0 : size, at);
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt16LE(1, at + 4);
    header.writeUInt16LE(32, at + 6);
    header.writeUInt32LE(data.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.data)]);
}

mkdirSync(join(here, 'icons'), { recursive: true });
writeFileSync(join(here, 'icon.png'), PNG.sync.write(render(1024)));
for (const size of LINUX_SIZES) writeFileSync(join(here, 'icons', `${size}x${size}.png`), PNG.sync.write(render(size)));
const entries = ICO_SIZES.map((size) => {
  const png = render(size);
  return { size, data: size >= 256 ? PNG.sync.write(png) : dibEntry(png) };
});
writeFileSync(join(here, 'icon.ico'), ico(entries));
process.stdout.write(`wrote build/icon.png, build/icons/*.png (${LINUX_SIZES.join(', ')}), build/icon.ico (${ICO_SIZES.join(', ')})\n`);
