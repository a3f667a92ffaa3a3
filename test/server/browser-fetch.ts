// A browser's part of HTTP, for tests in Node: a cookie jar that keeps what Set-Cookie says (one host, any port,
// as browsers do for cookies), the page's Origin on every request, and a record of every answer the page's
// script could read (bodies and headers), to prove no secret ever reaches it.
export interface TestBrowser {
  readonly fetch: typeof globalThis.fetch;
  /** The cookies the jar holds, by name. */
  readonly cookies: Map<string, string>;
  /** Every Set-Cookie header received, as sent. */
  readonly setCookies: string[];
  /** What script could read: each answer's status line, headers but Set-Cookie (HttpOnly), and body. */
  readonly seen: string[];
}

/** The origin the test pages pretend to be served from; the backends under test allow it. */
export const PAGE_ORIGIN = 'https://app.test';

export function testBrowser(origin = PAGE_ORIGIN): TestBrowser {
  const cookies = new Map<string, string>();
  const setCookies: string[] = [];
  const seen: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    const headers = new Headers(request.headers);
    if (cookies.size > 0)
      headers.set('cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    if (request.method !== 'GET' && request.method !== 'HEAD') headers.set('origin', origin);
    const body = request.body === null ? undefined : await request.arrayBuffer();
    const response = await globalThis.fetch(request.url, {
      method: request.method,
      headers,
      body,
      redirect: 'manual',
      signal: request.signal,
    });
    for (const line of response.headers.getSetCookie()) {
      setCookies.push(line);
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      if (expired) cookies.delete(name);
      else cookies.set(name, pair.slice(at + 1).trim());
    }
    const readable: [string, string][] = [];
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') readable.push([name, value]);
    });
    seen.push(`${response.status} ${JSON.stringify(readable)}`);
    if (response.headers.get('content-type')?.startsWith('text/event-stream') && response.body) {
      // A stream is recorded as it is read.
      const [forPage, forRecord] = response.body.tee();
      void (async () => {
        const decoder = new TextDecoder();
        const reader = forRecord.getReader();
        for (;;) {
          const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
          if (done) return;
          seen.push(decoder.decode(value));
        }
      })();
      return new Response(forPage, { status: response.status, headers: response.headers });
    }
    const text = await response.text();
    seen.push(text);
    return new Response(response.status === 204 || response.status === 304 ? null : text, {
      status: response.status,
      headers: response.headers,
    });
  };
  return { fetch, cookies, setCookies, seen };
}
