/**
 * The one clock of the renderer: a single `now` that ticks once a second, on the second. Every
 * countdown, progress bar and state badge derives from it; no row owns a timer.
 */
export class Clock {
  now = $state(Date.now());
  #timer: ReturnType<typeof setTimeout> | undefined;

  start(): void {
    this.stop();
    const tick = () => {
      this.now = Date.now();
      // Re-aligned on every tick, so the countdowns change together and do not drift.
      this.#timer = setTimeout(tick, 1000 - (this.now % 1000) + 5);
    };
    tick();
  }

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
