// withoutUserinfo and userinfoHiddenIn: a URL's user and password are never quoted, however the URL is spelled.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { userinfoHiddenIn, withoutUserinfo } from '../../../src/contract/userinfo.js';

/** A user or a password: capitals only, which no scheme, host or path below holds. */
const credential = fc.stringMatching(/^[A-Z]{4,10}$/);
/** How a person, a script or a hostile server may spell the start of a URL. */
const start = fc.constantFrom(
  'https://',
  'hTtPs://',
  'https:',
  'https:\\\\',
  ' https://',
  'ht\ttps://',
  'ftp://',
  '//',
  '',
);
const host = fc.constantFrom('broker.example', '127.0.0.1:8443', '[::1]', '', 'b\uFF20r.example');
const rest = fc.constantFrom('/api/', '', '/api/@me', '?q=a@b', '#x', ':99999/', '/p:w@x');

describe('withoutUserinfo', () => {
  it('returns a value without @ as it is', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        fc.pre(!/[@\uFE6B\uFF20]/.test(value));
        expect(withoutUserinfo(value)).toBe(value);
      }),
    );
  });

  it('leaves no part of a user or password, however the URL is spelled and whether or not it parses', () => {
    const at = fc.constantFrom('@', '\uFF20', '\uFE6B');
    fc.assert(
      fc.property(
        start,
        credential,
        credential,
        at,
        host,
        rest,
        (begin, user, password, sign, where, tail) => {
          const quoted = withoutUserinfo(`${begin}${user}:${password}${sign}${where}${tail}`);
          expect(quoted).not.toMatch(/[A-Z]{2}/);
        },
      ),
    );
  });

  it('keeps the scheme and what follows the last @, so the message still says which URL', () => {
    expect(withoutUserinfo('https://alice:pw@broker.example/api/')).toBe('https://***@broker.example/api/');
    expect(withoutUserinfo('alice:pw@broker.example/api/')).toBe('***@broker.example/api/');
    expect(withoutUserinfo('https://alice:p@w@broker.example/')).toBe('https://***@broker.example/');
  });

  it('leaves nothing the URL parser would read as a user or password', () => {
    fc.assert(
      fc.property(
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        credential,
        credential,
        (url, user, password) => {
          const withCredentials = new URL(url);
          withCredentials.username = user;
          withCredentials.password = password;
          const parsed = URL.canParse(withoutUserinfo(withCredentials.href))
            ? new URL(withoutUserinfo(withCredentials.href))
            : undefined;
          expect(parsed?.password ?? '').toBe('');
          expect(parsed?.username ?? '').not.toMatch(/[A-Z]/);
        },
      ),
    );
  });
});

describe('userinfoHiddenIn', () => {
  it('hides every userinfo in a text, and changes nothing else', () => {
    expect(userinfoHiddenIn('go to https://a:B@x.example/ or ftp://c@y.example, not mail@z.example')).toBe(
      'go to https://***@x.example/ or ftp://***@y.example, not mail@z.example',
    );
  });

  it('leaves text without // as it is', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!/[/\\]{2}/.test(text));
        expect(userinfoHiddenIn(text)).toBe(text);
      }),
    );
  });
});
