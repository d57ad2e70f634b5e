/** Just enough PNG reading to check Teams' icon rules: the header, and the pixels of 8-bit RGBA images. */
import { inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const RGBA = 6;

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
}

interface Chunk {
  type: string;
  data: Buffer;
}

function chunks(png: Buffer): Chunk[] {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file');
  const found: Chunk[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    found.push({ type: png.toString('latin1', offset + 4, offset + 8), data: png.subarray(offset + 8, offset + 8 + length) });
    offset += 12 + length; // length, type, data, CRC
  }
  return found;
}

export function readPngHeader(png: Buffer): PngHeader {
  const header = chunks(png)[0];
  if (header?.type !== 'IHDR') throw new Error('PNG without an IHDR chunk first');
  return {
    width: header.data.readUInt32BE(0),
    height: header.data.readUInt32BE(4),
    bitDepth: header.data.readUInt8(8),
    colorType: header.data.readUInt8(9),
    interlaced: header.data.readUInt8(12) === 1,
  };
}

/** Pixels as [r, g, b, a] rows, undoing the per-row filters (PNG spec section 9). */
export function readRgbaPixels(png: Buffer): Array<Array<[number, number, number, number]>> {
  const { width, height, bitDepth, colorType, interlaced } = readPngHeader(png);
  if (bitDepth !== 8 || colorType !== RGBA || interlaced) {
    throw new Error(`only 8-bit non-interlaced RGBA PNGs are supported (got depth ${bitDepth}, color type ${colorType})`);
  }
  const raw = inflateSync(Buffer.concat(chunks(png).filter((chunk) => chunk.type === 'IDAT').map((chunk) => chunk.data)));
  const stride = width * 4;
  const rows: Array<Array<[number, number, number, number]>> = [];
  let previous = Buffer.alloc(stride);
  for (let y = 0; y < height; y += 1) {
    const start = y * (stride + 1);
    const filter = raw[start];
    const row = Buffer.from(raw.subarray(start + 1, start + 1 + stride));
    for (let x = 0; x < stride; x += 1) {
      const left = x >= 4 ? row[x - 4]! : 0;
      const up = previous[x]!;
      const upLeft = x >= 4 ? previous[x - 4]! : 0;
      row[x] = (row[x]! + predictor(filter, left, up, upLeft)) & 0xff;
    }
    rows.push(Array.from({ length: width }, (_, x) => [row[4 * x]!, row[4 * x + 1]!, row[4 * x + 2]!, row[4 * x + 3]!]));
    previous = row;
  }
  return rows;
}

function predictor(filter: number | undefined, left: number, up: number, upLeft: number): number {
  switch (filter) {
    case 0:
      return 0;
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return (left + up) >> 1;
    case 4: {
      const estimate = left + up - upLeft;
      const [toLeft, toUp, toUpLeft] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
      if (toLeft <= toUp && toLeft <= toUpLeft) return left;
      return toUp <= toUpLeft ? up : upLeft;
    }
    default:
      throw new Error(`unknown PNG row filter ${String(filter)}`);
  }
}
