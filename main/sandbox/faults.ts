/**
 * Fault injection for tests: make the next request, or the requests to one endpoint, fail the way
 * real providers fail (slow, 5xx, broken JSON like the docs' own samples, HTML error pages, reset
 * connections, 200 without a token, no answer at all, Daou's error body with HTTP 200).
 */
import { DAOU_ERRORS } from './daou';
import { htmlPage, json, type SandboxResponse } from './util';

export const FAULT_KINDS = ['latency', 'status5xx', 'malformed_json', 'html_error', 'reset', 'no_access_token', 'hang', 'error_body_200'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultOptions {
  /** How many requests the fault hits. `next` defaults to 1, `set` to every request until `clear`. */
  times?: number;
  /** 'latency': delay in ms before the normal answer (default 1000). */
  ms?: number;
  /** 'status5xx' (default 503) and 'html_error' (default 500; 200 is allowed: an HTML page with OK). */
  status?: number;
  /**
   * Let the endpoint do its work first (a code is consumed, a refresh token rotated) and then fail
   * the answer: the "provider rotated, the response was lost" case.
   */
  afterHandler?: boolean;
}

export interface Fault {
  kind: FaultKind;
  ms: number;
  status: number | undefined;
  afterHandler: boolean;
}

export interface FaultInjector {
  /** Fail the next request(s), whatever the endpoint. */
  next(kind: FaultKind, opts?: FaultOptions): void;
  /**
   * Fail requests to one endpoint: an endpoint key ('daou.token', or 'pod' for every POD Shop
   * endpoint — keys match by dotted prefix) or a path prefix starting with '/' ('/oauth2/api/').
   */
  set(target: string, kind: FaultKind, opts?: FaultOptions): void;
  clear(): void;
}

interface Rule {
  target: string | null;
  fault: Fault;
  remaining: number;
}

export class SandboxFaults implements FaultInjector {
  private rules: Rule[] = [];

  next(kind: FaultKind, opts: FaultOptions = {}): void {
    this.add(null, kind, opts, 1);
  }

  set(target: string, kind: FaultKind, opts: FaultOptions = {}): void {
    this.add(target, kind, opts, Number.POSITIVE_INFINITY);
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault for this request, if any; `next` faults come before endpoint faults. Counts a use. */
  take(key: string, path: string): Fault | null {
    const rule =
      this.rules.find((r) => r.target === null) ?? this.rules.find((r) => r.target !== null && targets(r.target, key, path));
    if (!rule) return null;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule.fault;
  }

  private add(target: string | null, kind: FaultKind, opts: FaultOptions, defaultTimes: number): void {
    if (!FAULT_KINDS.includes(kind)) throw new TypeError(`Unknown fault kind "${String(kind)}"`);
    const times = opts.times ?? defaultTimes;
    if (!(times > 0)) throw new RangeError(`Fault "times" must be positive, got ${times}`);
    this.rules.push({
      target,
      remaining: times,
      fault: { kind, ms: opts.ms ?? 1000, status: opts.status, afterHandler: opts.afterHandler ?? false },
    });
  }
}

function targets(target: string, key: string, path: string): boolean {
  if (target.startsWith('/')) return path.startsWith(target);
  return key === target || key.startsWith(`${target}.`);
}

/**
 * Like seeds/001's own success sample: a duplicated key, a missing comma and a trailing comma.
 * Not JSON, though it looks like it.
 */
export const MALFORMED_JSON_BODY = `{
"token_type" : "bearer",
"expires_in" : 86400,
"access_token" : "eyJhbGciOiJIUzI1NiJ9.sandbox-malformed"
"expires_in" : 86400,
"access_token" : "eyJhbGciOiJIUzI1NiJ9.sandbox-malformed",
}`;

/** The response a response-replacing fault sends instead of the endpoint's own. */
export function faultResponse(fault: Fault, key: string): SandboxResponse | null {
  switch (fault.kind) {
    case 'status5xx':
      return json(
        fault.status ?? 503,
        { error: 'temporarily_unavailable', error_description: 'The sandbox was told to fail this request (fault injection).' },
        { 'retry-after': '1' },
      );
    case 'malformed_json':
      return { status: 200, headers: { 'content-type': 'application/json;charset=UTF-8' }, body: MALFORMED_JSON_BODY };
    case 'html_error': {
      const status = fault.status ?? 500;
      return htmlPage(status, `${status} — Internal Server Error`, '<p>Something went wrong on our side (sandbox fault injection).</p>');
    }
    case 'no_access_token':
      // itcode delivers tokens as cookies: its "no token" is a success envelope without Set-Cookie.
      if (key.startsWith('itcode.')) return json(200, { flag: true, title: 'success', message: 'authorized success', body: null });
      return json(200, { token_type: 'bearer', expires_in: 3600, scope: 'openapi' });
    case 'error_body_200': {
      // The HTTP status of Daou's error body is not documented (docs/providers.md §2): 200 too.
      const { message, messageDetail } = DAOU_ERRORS.invalidClientId;
      return json(200, { code: '401', message, messageDetail });
    }
    case 'latency':
    case 'reset':
    case 'hang':
      return null;
  }
}
