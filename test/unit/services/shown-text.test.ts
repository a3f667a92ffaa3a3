// shown and shownPrintable: server text made safe to show, a URL's user and password hidden in it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SHOWN_TEXT, shown, shownPrintable } from '../../../src/services/shown-text.js';

describe('server text shown to users', () => {
  it.each([
    [
      'a password',
      'Reset it at https://admin:SECRETPW@broker.example/reset',
      'Reset it at https://***@broker.example/reset',
    ],
    [
      'a look-alike host as the user',
      'Log in at https://broker.example@evil.example/',
      'Log in at https://***@evil.example/',
    ],
    ['an @ in the password', 'see http://u:p@SECRETPW@h.example?x=1', 'see http://***@h.example?x=1'],
    ['backslashes', 'see https:\\\\u:SECRETPW@h.example\\x', 'see https:\\\\***@h.example\\x'],
    ['no scheme', 'see //u:SECRETPW@h.example/x', 'see //***@h.example/x'],
    ['two URLs', 'a://u:SECRETPW@x b://v:SECRETPW@y', 'a://***@x b://***@y'],
  ])('hides the user and password of a URL with %s', (_, text, expected) => {
    expect(shown(text, [])).toBe(expected);
    expect(shownPrintable(text)).toBe(expected);
  });

  it('leaves an e-mail address, and an @ after the authority, as they are', () => {
    for (const text of [
      'Code sent to a***@example.com',
      'see https://h.example/@me and mailto:x@y.example',
    ]) {
      expect(shown(text, [])).toBe(text);
    }
  });

  it('never shows a password put in the userinfo of a URL anywhere in the text (property)', () => {
    const password = fc.stringMatching(/^[A-Z]{6,12}$/);
    const user = fc.stringMatching(/^[a-z0-9:.%-]{0,12}$/);
    const around = fc.string({ maxLength: 60 }).map((text) => text.replace(/[A-Z]/g, 'x'));
    fc.assert(
      fc.property(
        around,
        user,
        password,
        fc.constantFrom('https://', 'http:\\\\', '//', 'x+y.z://'),
        around,
        (before, name, secret, start, after) => {
          const text = `${before} ${start}${name}:${secret}@broker.example/p ${after}`;
          expect(shown(text, [])).not.toContain(secret);
        },
      ),
    );
  });

  it('reads a long text in linear time', () => {
    const text = `${'a:'.repeat(40_000)}${'//'.repeat(40_000)}`;
    const started = performance.now();
    expect(shown(text, []).length).toBe(MAX_SHOWN_TEXT + 1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
