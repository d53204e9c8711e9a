import { describe, expect, it } from 'vitest';
import { ticks, timeWindow } from '../../renderer/src/lib/timeline';

const monthName = new Intl.DateTimeFormat('en', { month: 'short' });

describe('timeline ticks', () => {
  it('at one year, one tick per calendar month, each on the first at local midnight, February included (issue #13 row 8)', () => {
    // Mid-December: the old fixed 30-day step read "Dec, Dec, Jan, Mar, Mar…" from here.
    const now = new Date(2026, 11, 15, 10, 30).getTime();
    const { start, end } = timeWindow(now, 'year');
    const at = ticks(start, end, 'year');
    const names = at.map((time) => monthName.format(time));
    expect(names).toEqual(['Dec', 'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov']);
    for (const time of at) {
      const date = new Date(time);
      expect([date.getDate(), date.getHours(), date.getMinutes()]).toEqual([1, 0, 0]);
    }
    expect(new Set(names).size).toBe(names.length);
  });

  it('from any day of two years, the ticks are consecutive calendar months, none skipped or repeated', () => {
    for (let day = 0; day < 730; day += 3) {
      const now = new Date(2027, 0, 1 + day, 15).getTime();
      const { start, end } = timeWindow(now, 'year');
      const months = ticks(start, end, 'year').map((time) => new Date(time).getFullYear() * 12 + new Date(time).getMonth());
      // 365 days hold eleven or twelve month starts (eleven from just after New Year of a leap year).
      expect(months.length).toBeGreaterThanOrEqual(11);
      expect(months.slice(1).every((month, index) => month === months[index]! + 1)).toBe(true);
    }
  });

  it('shorter spans keep their fixed steps: ten minutes in an hour, a day in a week', () => {
    const now = new Date(2026, 5, 1, 12, 0).getTime();
    const hour = timeWindow(now, 'hour');
    const hourTicks = ticks(hour.start, hour.end, 'hour');
    expect(hourTicks.slice(1).map((time, index) => time - hourTicks[index]!)).toEqual(Array(hourTicks.length - 1).fill(600_000));
    const week = timeWindow(now, 'week');
    expect(ticks(week.start, week.end, 'week').length).toBeGreaterThanOrEqual(6);
  });
});
