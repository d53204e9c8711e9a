/**
 * One door's entry point to the operations table: serve(door, context) gives the function every
 * transport calls with a name and a payload (IPC's channel, the browser door's POST, the agent's
 * line). It refuses names the door does not serve, checks the payload against the operation's
 * schema before anything reaches the desk, and turns every outcome into a result: it never throws.
 */
import type { z } from 'zod';
import { TokenDeskError, toErrorInfo } from '../model/errors';
import { notServedBecause, operations, type Door, type OperationName, type OperationResult } from '../model/operations';
import { explanations, runs, type DoorContext } from './operations';

export type Dispatch = (name: unknown, payload: unknown) => Promise<OperationResult<unknown>>;

function isOperation(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.hasOwn(operations, name);
}

export function serve(door: Door, ctx: DoorContext): Dispatch {
  return async (name, payload) => {
    if (!isOperation(name)) {
      return { ok: false, error: { code: 'bad_request', message: `Unknown channel: ${String(name).slice(0, 100)}` } };
    }
    const reason = notServedBecause(door, name);
    if (reason !== undefined) return { ok: false, error: { code: 'unsupported', message: `${name} is not offered here: ${reason}.` } };
    const parsed = (operations[name].input as z.ZodType).safeParse(payload);
    if (!parsed.success) {
      try {
        explanations[name]?.(payload);
      } catch (error) {
        return { ok: false, error: toErrorInfo(error) };
      }
      return { ok: false, error: { code: 'bad_request', message: `Invalid input for ${name}: ${describeIssues(parsed.error)}` } };
    }
    try {
      const run = runs[name] as (ctx: DoorContext, input: unknown) => unknown;
      return { ok: true, value: (await run(ctx, parsed.data)) ?? null };
    } catch (error) {
      if (!(error instanceof TokenDeskError)) console.error(`[${door}] ${name} failed:`, error instanceof Error ? error.message : error);
      return { ok: false, error: toErrorInfo(error) };
    }
  };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'payload'}: ${issue.message}`)
    .join('; ');
}
