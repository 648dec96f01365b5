// The live bar on stderr while a fleet is scanned: only on a terminal, redrawn at most 10 times a second.
import type { HostScan } from '../model/index.js';
import { progressLine, type ProgressCounts } from './progress.js';

export class ProgressBar {
  private readonly counts: ProgressCounts;
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;
  private cleared = false;

  constructor(
    total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.counts = { total, done: 0, failed: 0, inFlight: 0 };
  }

  hostStarted(): void {
    this.counts.inFlight++;
    this.draw(false);
  }

  hostDone(scan: HostScan): void {
    this.counts.inFlight--;
    this.counts.done++;
    if (scan.status !== 'ok' && scan.status !== 'partial') this.counts.failed++;
    this.draw(this.counts.done === this.counts.total);
  }

  /** Wipes the bar, so that what follows starts on a clean line. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
    // hosts that end after this (a scan being stopped) must not draw it again over the summary
    this.cleared = true;
  }

  private draw(force: boolean): void {
    if (this.cleared) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.stream.write(`\r\x1b[K${progressLine(this.counts, now - this.started, this.stream.columns || 80)}`);
    this.drawn = true;
  }
}
