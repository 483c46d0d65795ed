/**
 * A minimal single-line progress bar. It draws only when given a stream (the CLI passes
 * stderr only on a TTY), redraws at most every 100 ms so it costs nothing on hot loops,
 * and shows rate and ETA because tiling and training runs are long.
 */
export class ProgressBar {
  private done = 0;
  private lastDraw = 0;
  private readonly start = Date.now();
  private status = '';

  constructor(
    private readonly label: string,
    private total: number,
    private readonly stream: NodeJS.WritableStream | null,
  ) {}

  /** Advance by `n` items and optionally replace the status text (e.g. current losses). */
  tick(n = 1, status?: string): void {
    this.done += n;
    if (status !== undefined) this.status = status;
    this.draw(false);
  }

  setTotal(total: number): void {
    this.total = total;
    this.draw(false);
  }

  setStatus(status: string): void {
    this.status = status;
    this.draw(false);
  }

  /** Clear the line; call once at the end. */
  finish(): void {
    this.draw(true);
    if (this.stream) this.stream.write('\n');
  }

  private draw(force: boolean): void {
    if (!this.stream) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const frac = this.total > 0 ? Math.min(1, this.done / this.total) : 0;
    const width = 24;
    const filled = Math.round(frac * width);
    const elapsed = (now - this.start) / 1000;
    const rate = elapsed > 0 ? this.done / elapsed : 0;
    const eta = rate > 0 && this.total > this.done ? (this.total - this.done) / rate : 0;
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const line = `${this.label} ${bar} ${this.done}/${this.total} ${rate.toFixed(1)}/s eta ${eta.toFixed(0)}s ${this.status}`;
    this.stream.write(`\r\x1b[2K${line}`);
  }
}
