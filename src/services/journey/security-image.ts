import type { AntiPhishing, SecurityImage } from '../../contract/journey.js';
import { asJsonObject, field } from '../json-fields.js';
import { hasUnprintable, shownPrintable } from '../shown-text.js';

/** The longest `FileName` accepted. */
export const MAX_FILE_NAME = 100;
/** The largest picture accepted, decoded. */
export const MAX_IMAGE_BYTES = 512 * 1024;
/** At most this many images are kept from one list. */
export const MAX_IMAGES = 50;
/** The file name of a PIN-step `Image` that comes without one. */
export const UNNAMED_IMAGE = 'security-image';

/** A `data:` URL of one of the four accepted types; the bytes are checked all the same. */
const DATA_URL = /^data:image\/(?:png|jpeg|gif|webp);base64,/i;
/** Canonical base64 (once ASCII whitespace is gone and padding restored): a linear check, no backtracking. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const WHITESPACE = /[\t\n\f\r ]/g;
/** Base64 characters that decode to the 12 bytes the sniffer reads. */
const SNIFF_CHARS = 16;

/** The picture's type from its first bytes (a binary string): PNG, JPEG, GIF or WebP, nothing else. */
function sniff(bytes: string): string | undefined {
  if (bytes.startsWith('\x89PNG\r\n\x1a\n')) return 'image/png';
  if (bytes.startsWith('\xff\xd8\xff')) return 'image/jpeg';
  if (bytes.startsWith('GIF87a') || bytes.startsWith('GIF89a')) return 'image/gif';
  if (bytes.startsWith('RIFF') && bytes.slice(8, 12) === 'WEBP') return 'image/webp';
  return undefined;
}

/**
 * The `data:` URL of a picture given as base64 or as a `data:image/…;base64,` URL, with the type its bytes
 * show (whatever a data URL declared); undefined for anything else: another type (SVG can run script), invalid
 * base64, an empty or oversized picture, and any other URL (the library never contacts another host).
 */
function dataUrlOf(content: string): string | undefined {
  let base64 = content.trim();
  const prefix = DATA_URL.exec(base64);
  if (prefix) base64 = base64.slice(prefix[0].length);
  else if (base64.includes(':')) return undefined; // http:, https:, data:text/html, javascript:…
  base64 = base64.replace(WHITESPACE, '');
  if (base64.length % 4 === 1) return undefined;
  if (!base64.includes('=')) base64 += '='.repeat((4 - (base64.length % 4)) % 4);
  if (base64.length % 4 !== 0 || !BASE64.test(base64)) return undefined;
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  const size = (base64.length / 4) * 3 - padding;
  if (size === 0 || size > MAX_IMAGE_BYTES) return undefined;
  let head: string;
  try {
    head = atob(base64.slice(0, SNIFF_CHARS));
  } catch {
    return undefined;
  }
  const type = sniff(head);
  return type === undefined ? undefined : `data:${type};base64,${base64}`;
}

/** A file name a UI can show and send back as `ImageName`: short, printable, no path. */
function usableFileName(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_FILE_NAME || value.trim() === '') return undefined;
  if (hasUnprintable(value) || /[/\\]/.test(value) || value === '.' || value === '..') return undefined;
  return value;
}

/**
 * One security image from the server's `FileName` and `Content`, or undefined when either is not usable.
 * `content` is base64, a `data:image/(png|jpeg|gif|webp);base64,` URL, or an object `{ FileName, Content }`
 * (a PIN-step answer's `Image`), whose own `FileName` comes first. A missing (undefined or null) file name is
 * `security-image`; a remote `http(s):` URL is never one, nor is any type but PNG, JPEG, GIF and WebP.
 */
export function securityImageOf(fileName: unknown, content: unknown): SecurityImage | undefined {
  let name = fileName;
  let picture = content;
  const object = asJsonObject(content);
  if (object) {
    name = field(object, 'FileName') ?? fileName;
    picture = field(object, 'Content');
  }
  if (typeof picture !== 'string') return undefined;
  const usableName = name === undefined || name === null ? UNNAMED_IMAGE : usableFileName(name);
  if (usableName === undefined) return undefined;
  const dataUrl = dataUrlOf(picture);
  return dataUrl === undefined ? undefined : { fileName: usableName, dataUrl };
}

/**
 * The usable images of a `security-images` Model, in order: entries without a `FileName`, with a picture that
 * is not usable, or with a name already taken (`ImageName` must name one image) are left out; at most
 * `MAX_IMAGES`. Undefined when the Model is not a list.
 */
export function securityImagesOf(model: unknown): SecurityImage[] | undefined {
  if (!Array.isArray(model)) return undefined;
  const images: SecurityImage[] = [];
  const names = new Set<string>();
  for (const entry of model) {
    if (images.length === MAX_IMAGES) break;
    const object = asJsonObject(entry);
    if (!object) continue;
    const fileName = field(object, 'FileName');
    if (typeof fileName !== 'string' || names.has(fileName)) continue;
    const image = securityImageOf(fileName, field(object, 'Content'));
    if (!image) continue;
    names.add(fileName);
    images.push(image);
  }
  return images;
}

/**
 * The anti-phishing phrase and picture of a PIN-step `/token` answer, from its `PersonalPhrase` and `Image`
 * fields: the phrase printable, trimmed, cut short and with `secrets` scrubbed (undefined when empty or not
 * text), the picture as {@link securityImageOf} reads it.
 */
export function antiPhishingOf(
  personalPhrase: unknown,
  image: unknown,
  secrets: readonly string[] = [],
): AntiPhishing {
  const phrase = typeof personalPhrase === 'string' ? shownPrintable(personalPhrase, secrets) : '';
  return {
    personalPhrase: phrase === '' ? undefined : phrase,
    securityImage: securityImageOf(undefined, image),
  };
}
