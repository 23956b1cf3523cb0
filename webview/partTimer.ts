// What each part of a drawing cost, for the benchmark and the browser tests (the app writes it to `data-parts`
// on its root element).

export class PartTimer {
  private readonly parts: Record<string, number> = {};
  private lap = performance.now();

  /** The time since the last call (or since the timer was made) went to `part`. */
  took(part: string): void {
    const now = performance.now();
    this.parts[part] = (this.parts[part] ?? 0) + (now - this.lap);
    this.lap = now;
  }

  /** `name ms, name ms`, in the order the parts were first timed. */
  text(): string {
    return Object.entries(this.parts)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join(', ');
  }
}
