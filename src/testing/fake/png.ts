// Tiny valid PNGs for the fake server's security images: 16×16, one solid colour each, made at module load with
// node:zlib's deflate and a CRC-32 of our own (zlib.crc32 is Node 20.15+ only).
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, index) => {
  let crc = index;
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  return crc >>> 0;
});

/** CRC-32 (ISO-HDLC, the one PNG chunks use). */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A `size`×`size` truecolour PNG (8 bits per channel, no alpha) of one colour. */
export function solidPng(rgb: readonly [number, number, number], size = 16): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
  const row = Buffer.alloc(1 + size * 3); // filter byte 0 (None), then the pixels
  for (let x = 0; x < size; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * One security image as `GET v1.0/assets/security-images` lists it.
 * @example const names = FAKE_SECURITY_IMAGES.map((image) => image.FileName);
 */
export interface FakeSecurityImage {
  readonly FileName: string;
  /** The PNG file, base64. */
  readonly Content: string;
}

const COLOURS: readonly (readonly [string, readonly [number, number, number]])[] = [
  ['apple.png', [200, 30, 40]],
  ['heron.png', [110, 130, 160]],
  ['sailboat.png', [20, 90, 200]],
  ['mountain.png', [60, 140, 70]],
  ['lighthouse.png', [240, 200, 40]],
  ['cactus.png', [150, 70, 170]],
];

/** The images every fake server offers, each a different colour. */
export const SECURITY_IMAGES: readonly FakeSecurityImage[] = Object.freeze(
  COLOURS.map(([FileName, rgb]) => Object.freeze({ FileName, Content: solidPng(rgb).toString('base64') })),
);
