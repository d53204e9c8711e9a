/**
 * Plays the user at oidc-provider's device flow pages (RFC 8628 §3.3) over HTTP with a cookie
 * jar: the user code confirmation, then devInteractions' login and consent, until the success
 * (or abort) page. `deny` presses Abort on the confirmation page.
 */
import { request as httpRequest } from 'node:http';

interface Page {
  status: number;
  location: string | null;
  setCookie: string[];
  body: string;
}

function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<Page> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          location: typeof res.headers.location === 'string' ? res.headers.location : null,
          setCookie: res.headers['set-cookie'] ?? [],
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [, name, value] of tag.matchAll(/([\w.-]+)="([^"]*)"/g)) out[name!] = value!;
  return out;
}

/** Approves (or denies) the device whose verification_uri_complete is `url`; returns the last page's text. */
export async function approveDevice(url: string, opts: { login?: string; deny?: boolean } = {}): Promise<string> {
  const jar = new Map<string, string>();
  const go = async (target: string, init: { method?: string; body?: string } = {}): Promise<Page> => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const headers: Record<string, string> = cookie ? { cookie } : {};
    if (init.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const page = await send(target, { ...init, headers });
    for (const line of page.setCookie) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return page;
  };
  let next: { url: string; method?: string; body?: string } = { url };
  let aborted = false;
  for (let step = 0; step < 15; step += 1) {
    const page = await go(next.url, next);
    if (page.location) {
      next = { url: new URL(page.location, next.url).href };
      continue;
    }
    const form = /<form([^>]*)>([\s\S]*?)<\/form>/.exec(page.body);
    // After Abort, oidc-provider shows its code input page again, with the outcome above it.
    if (page.status !== 200 || !form || aborted) return page.body;
    const action = new URL(attributes(form[1]!)['action'] ?? next.url, next.url).href;
    const fields = new URLSearchParams();
    for (const [tag] of form[2]!.matchAll(/<input[^>]*>/g)) {
      const attrs = attributes(tag);
      if (attrs['name'] && attrs['value'] !== undefined) fields.set(attrs['name'], attrs['value']);
    }
    const prompt = fields.get('prompt');
    if (prompt === 'login') {
      fields.set('login', opts.login ?? 'alice');
      fields.set('password', 'any');
    } else if (fields.has('confirm') && opts.deny) {
      // The confirmation page's Abort button.
      fields.delete('confirm');
      fields.set('abort', 'yes');
      aborted = true;
    }
    next = { url: action, method: 'POST', body: fields.toString() };
  }
  throw new Error(`The device pages did not finish within 15 steps (last: ${next.url}).`);
}
