// securityImageOf and securityImagesOf: what a server's picture may be before a UI puts it in an <img src>.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  antiPhishingOf,
  MAX_IMAGE_BYTES,
  MAX_IMAGES,
  securityImageOf,
  securityImagesOf,
} from '../../../src/services/journey/security-image.js';

/** `magic` followed by `size - magic.length` filler bytes, as base64. */
function picture(magic: readonly number[] | string, size = 64): string {
  const head = typeof magic === 'string' ? Buffer.from(magic, 'latin1') : Buffer.from(magic);
  const bytes = Buffer.alloc(Math.max(size, head.length), 0x41);
  head.copy(bytes);
  return bytes.toString('base64');
}

const PNG = picture([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = picture([0xff, 0xd8, 0xff, 0xe0]);
const GIF87 = picture('GIF87a');
const GIF89 = picture('GIF89a');
const WEBP = picture('RIFF\x24\x00\x00\x00WEBPVP8 ');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>').toString('base64');
const HTML = Buffer.from('<!doctype html><script>alert(1)</script>').toString('base64');

const urlOf = (content: unknown) => securityImageOf('apple.png', content)?.dataUrl;

describe('securityImageOf: the picture', () => {
  it.each([
    ['PNG', PNG, 'image/png'],
    ['JPEG', JPEG, 'image/jpeg'],
    ['GIF87a', GIF87, 'image/gif'],
    ['GIF89a', GIF89, 'image/gif'],
    ['WebP', WEBP, 'image/webp'],
  ])('accepts %s from plain base64, typed by its bytes', (_name, base64, type) => {
    expect(securityImageOf('apple.png', base64)).toEqual({
      fileName: 'apple.png',
      dataUrl: `data:${type};base64,${base64}`,
    });
  });

  it('accepts a data: URL of the four types, checking its bytes and naming the type they show', () => {
    expect(urlOf(`data:image/png;base64,${PNG}`)).toBe(`data:image/png;base64,${PNG}`);
    expect(urlOf(`data:image/webp;base64,${WEBP}`)).toBe(`data:image/webp;base64,${WEBP}`);
    expect(urlOf(`DATA:IMAGE/GIF;BASE64,${GIF89}`)).toBe(`data:image/gif;base64,${GIF89}`);
    // A JPEG labelled PNG is still a JPEG.
    expect(urlOf(`data:image/png;base64,${JPEG}`)).toBe(`data:image/jpeg;base64,${JPEG}`);
    // A label of an accepted type does not make other bytes a picture.
    expect(urlOf(`data:image/png;base64,${SVG}`)).toBeUndefined();
    expect(urlOf(`data:image/png;base64,${HTML}`)).toBeUndefined();
  });

  it('refuses SVG, HTML and other bytes, whether plain or in a data: URL of their own type', () => {
    for (const content of [
      SVG,
      HTML,
      picture('BM'), // BMP
      picture([0x00, 0x00, 0x01, 0x00]), // ICO
      picture('RIFF\x24\x00\x00\x00WAVEfmt '), // RIFF, not WebP
      picture([0x89, 0x50, 0x4e, 0x47]), // half a PNG signature
      `data:image/svg+xml;base64,${SVG}`,
      `data:text/html;base64,${HTML}`,
      `data:image/svg+xml,<svg onload="alert(1)"/>`,
      `data:image/png,${PNG}`, // not base64-encoded
    ]) {
      expect(urlOf(content), content.slice(0, 40)).toBeUndefined();
    }
  });

  it('refuses remote and script URLs: the library never contacts another host', () => {
    for (const content of [
      'https://images.example/apple.png',
      'http://images.example/apple.png',
      '//images.example/apple.png',
      'HTTPS://images.example/a',
      'javascript:alert(1)',
      `blob:${PNG}`,
    ]) {
      expect(urlOf(content), content).toBeUndefined();
    }
  });

  it('refuses invalid base64, an empty picture and what is not text', () => {
    for (const content of [
      '',
      '   ',
      '=',
      'A',
      '@@@@',
      `${PNG.slice(0, -2)}$$`,
      `${PNG}=`,
      `A=${PNG}`,
      '====',
    ]) {
      expect(urlOf(content), JSON.stringify(content)).toBeUndefined();
    }
    for (const content of [undefined, null, 42, true, [PNG], { Content: 42 }]) {
      expect(urlOf(content), JSON.stringify(content)).toBeUndefined();
    }
  });

  it('accepts base64 broken over lines or without its padding, and gives it back clean and padded', () => {
    for (const [size, padding] of [
      [64, '=='],
      [65, '='],
    ] as const) {
      const padded = picture([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], size);
      expect(padded.endsWith(padding) && !padded.endsWith(`${padding}=`)).toBe(true);
      expect(urlOf(padded.slice(0, -padding.length))).toBe(`data:image/png;base64,${padded}`);
    }
    const wrapped = PNG.match(/.{1,20}/g)?.join('\r\n') ?? '';
    expect(wrapped).toContain('\n');
    expect(urlOf(` ${wrapped}\n`)).toBe(`data:image/png;base64,${PNG}`);
  });

  it(`accepts a picture of exactly ${MAX_IMAGE_BYTES} bytes decoded and refuses one byte more`, () => {
    const magic = [0xff, 0xd8, 0xff];
    expect(urlOf(picture(magic, MAX_IMAGE_BYTES))).toMatch(/^data:image\/jpeg;base64,/);
    expect(urlOf(picture(magic, MAX_IMAGE_BYTES + 1))).toBeUndefined();
    expect(urlOf(`data:image/jpeg;base64,${picture(magic, MAX_IMAGE_BYTES + 1)}`)).toBeUndefined();
  });

  it('never gives anything but a data: URL of the four types with clean base64, whatever the input', () => {
    const shape = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]*={0,2}$/;
    const magics = ['\x89PNG\r\n\x1a\n', '\xff\xd8\xff', 'GIF89a', 'RIFFxxxxWEBP', '<svg', ''];
    fc.assert(
      fc.property(
        fc.constantFrom(...magics),
        fc.uint8Array({ maxLength: 40 }),
        fc.constantFrom('', 'data:image/png;base64,', 'data:image/svg+xml;base64,', 'https://x/'),
        fc.string({ maxLength: 4 }),
        (magic, rest, prefix, noise) => {
          const base64 = Buffer.concat([Buffer.from(magic, 'latin1'), rest]).toString('base64');
          const contents = [`${prefix}${base64}`, `${prefix}${base64}${noise}`, noise];
          for (const [index, content] of contents.entries()) {
            const url = urlOf(content);
            if (url === undefined) continue;
            expect(url).toMatch(shape);
            const bytes = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64').toString('latin1');
            expect(magics.slice(0, 4).some((start) => bytes.startsWith(start.slice(0, 4)))).toBe(true);
            if (index < 2) expect(prefix.startsWith('https') || prefix.includes('svg')).toBe(false);
          }
        },
      ),
    );
  });
});

describe('securityImageOf: the file name', () => {
  it('keeps a short printable name as it is', () => {
    for (const name of ['apple.png', 'Æble åben.JPG', 'x', 'a'.repeat(100), 'a b']) {
      expect(securityImageOf(name, PNG)?.fileName, name).toBe(name);
    }
  });

  it('refuses a long name, a control character, a path separator, and a name of nothing', () => {
    for (const name of [
      'a'.repeat(101),
      'apple\n.png',
      'apple\r.png',
      'apple\u0000.png',
      'apple\u007f.png',
      'apple\u0085.png',
      'gnp.\u202eelppa',
      'apple\u2028.png',
      '../apple.png',
      'images/apple.png',
      'images\\apple.png',
      '',
      '   ',
      '.',
      '..',
      42,
      {},
    ]) {
      expect(securityImageOf(name, PNG), JSON.stringify(name)).toBeUndefined();
    }
  });

  it('names a picture that comes without a name security-image', () => {
    expect(securityImageOf(undefined, PNG)?.fileName).toBe('security-image');
    expect(securityImageOf(null, PNG)?.fileName).toBe('security-image');
  });
});

describe("securityImageOf: a PIN-step answer's Image", () => {
  it('reads plain base64, a data: URL and an object { FileName, Content } in any case', () => {
    expect(securityImageOf(undefined, PNG)).toEqual({
      fileName: 'security-image',
      dataUrl: `data:image/png;base64,${PNG}`,
    });
    expect(securityImageOf(undefined, `data:image/gif;base64,${GIF89}`)).toEqual({
      fileName: 'security-image',
      dataUrl: `data:image/gif;base64,${GIF89}`,
    });
    expect(securityImageOf(undefined, { FileName: 'pear.jpg', Content: JPEG })).toEqual({
      fileName: 'pear.jpg',
      dataUrl: `data:image/jpeg;base64,${JPEG}`,
    });
    expect(securityImageOf(undefined, { fileName: 'pear.jpg', content: JPEG })?.fileName).toBe('pear.jpg');
    expect(securityImageOf(undefined, { Content: JPEG })?.fileName).toBe('security-image');
  });

  it('refuses an object whose name or content is not usable, and never reads a remote URL', () => {
    expect(securityImageOf(undefined, { FileName: 'a/b', Content: JPEG })).toBeUndefined();
    expect(securityImageOf(undefined, { FileName: 'pear.jpg', Content: SVG })).toBeUndefined();
    expect(securityImageOf(undefined, { FileName: 'pear.jpg', Content: { Content: JPEG } })).toBeUndefined();
    expect(
      securityImageOf(undefined, { FileName: 'x', Content: 'https://cdn.example/x.png' }),
    ).toBeUndefined();
    expect(securityImageOf(undefined, 'https://cdn.example/x.png')).toBeUndefined();
  });

  it('reads the anti-phishing phrase printable, cut short and without the secrets of the request', () => {
    expect(antiPhishingOf(' Blue\u0007 horse\n ', PNG)).toEqual({
      personalPhrase: 'Blue horse',
      securityImage: { fileName: 'security-image', dataUrl: `data:image/png;base64,${PNG}` },
    });
    expect(antiPhishingOf('my pw-canary-Zr8 phrase', undefined, ['pw-canary-Zr8'])).toEqual({
      personalPhrase: 'my [redacted] phrase',
      securityImage: undefined,
    });
    expect(antiPhishingOf('x'.repeat(300), 'https://x/y.png').personalPhrase).toBe(`${'x'.repeat(200)}…`);
    expect(antiPhishingOf(undefined, undefined)).toEqual({
      personalPhrase: undefined,
      securityImage: undefined,
    });
    expect(antiPhishingOf('\u0000 ', 7).personalPhrase).toBeUndefined();
  });
});

describe('securityImagesOf: the list', () => {
  it('keeps the usable images in order and leaves out the rest', () => {
    const images = securityImagesOf([
      { FileName: 'apple.png', Content: PNG },
      { FileName: 'evil.svg', Content: SVG },
      { FileName: 'remote.png', Content: 'https://cdn.example/remote.png' },
      { Content: JPEG },
      { FileName: 'no-content.png' },
      'apple.png',
      null,
      { fileName: 'pear.jpg', content: `data:image/jpeg;base64,${JPEG}` },
      { FileName: 'apple.png', Content: GIF89 },
      { FileName: 'plum.webp', Content: WEBP },
    ]);
    expect(images).toEqual([
      { fileName: 'apple.png', dataUrl: `data:image/png;base64,${PNG}` },
      { fileName: 'pear.jpg', dataUrl: `data:image/jpeg;base64,${JPEG}` },
      { fileName: 'plum.webp', dataUrl: `data:image/webp;base64,${WEBP}` },
    ]);
  });

  it(`keeps at most ${MAX_IMAGES} images`, () => {
    const list = Array.from({ length: MAX_IMAGES + 10 }, (_, index) => ({
      FileName: `image-${index}.png`,
      Content: PNG,
    }));
    const images = securityImagesOf(list);
    expect(images).toHaveLength(MAX_IMAGES);
    expect(images?.at(-1)?.fileName).toBe(`image-${MAX_IMAGES - 1}.png`);
  });

  it('gives an empty list for no usable image, and undefined for what is not a list', () => {
    expect(securityImagesOf([])).toEqual([]);
    expect(securityImagesOf([{ FileName: 'evil.svg', Content: SVG }])).toEqual([]);
    for (const model of [undefined, null, {}, 'apple.png', { FileName: 'apple.png', Content: PNG }]) {
      expect(securityImagesOf(model)).toBeUndefined();
    }
  });
});
