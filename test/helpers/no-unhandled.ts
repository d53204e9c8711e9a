/**
 * Every test file runs with this setup: a promise rejected with nobody listening, or an exception
 * thrown from a timer, fails the test that was running (issue #11, item 8), instead of a warning at
 * the end of the run that names no test. Fire-and-forget work must handle its own errors.
 */
import { afterEach } from 'vitest';

const escaped: unknown[] = [];
const onRejection = (reason: unknown): void => void escaped.push(reason);
process.on('unhandledRejection', onRejection);
process.on('uncaughtException', onRejection);

afterEach(async () => {
  // A rejection is reported on the turn after it happens: let it surface before looking.
  await new Promise((resolve) => setImmediate(resolve));
  if (escaped.length === 0) return;
  const reasons = escaped.splice(0).map((reason) => (reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)));
  throw new Error(`Unhandled rejection or uncaught exception during this test:\n${reasons.join('\n---\n')}`);
});
