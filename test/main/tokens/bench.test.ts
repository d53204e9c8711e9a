/** Keeps the benchmark pieces runnable: small sizes here; `npm run bench` runs the full ones. */
import { describe, expect, it } from 'vitest';
import { benchScheduler, benchStore } from '../../bench/tokens.bench';

describe('token benchmarks (smoke)', () => {
  it('benchScheduler keeps one live timer', async () => {
    const result = await benchScheduler(2000);
    expect(result).toMatchObject({ tokens: 2000, liveTimers: 1 });
  });

  it('benchStore reports write latencies', async () => {
    const result = await benchStore(20, 5);
    expect(result.writes).toBe(5);
    expect(result.p95Ms).toBeGreaterThanOrEqual(result.medianMs);
  });
});
