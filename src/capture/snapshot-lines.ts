// A snapshot file as a stream of bounded lines: gunzipped when it starts with gzip's magic (read as
// it is otherwise: a snapshot someone decompressed), never held whole, each line scanned once. How the
// stream ended is kept apart from the lines: a cut or damaged file ends the lines, it loses none.
import type { FileHandle } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const NEWLINE = 0x0a;
/** chunks buffered ahead of the reader before the file is paused */
const READ_AHEAD = 8;

export type LinesEnd =
  | { kind: 'eof' }
  /** the stream stopped in the middle of a line, or gzip found the data cut or damaged */
  | { kind: 'cut'; reason: string };

export class LineTooLong extends Error {
  constructor(readonly limit: number) {
    super(`longer than ${limit} bytes, the most a record may have`);
    this.name = 'LineTooLong';
  }
}

export class SnapshotLines {
  private readonly chunks: Buffer[] = [];
  private rest: Buffer | null = null;
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private finished = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private readonly stream: Readable;
  private readonly source: Readable;

  constructor(file: FileHandle, gzipped: boolean) {
    this.source = file.createReadStream({ start: 0, highWaterMark: 256 * 1024 });
    this.stream = gzipped ? pipeline(this.source, createGunzip(), () => {}) : this.source;
    this.stream.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      if (this.chunks.length >= READ_AHEAD) this.stream.pause();
      this.notify();
    });
    this.stream.on('end', () => this.stop(null));
    this.stream.on('error', (err) => this.stop(err));
  }

  /** The next whole line (without its newline), or null once there is none. Throws LineTooLong past `limit`. */
  async next(limit: number): Promise<Buffer | null> {
    for (;;) {
      if (this.rest !== null) {
        const rest = this.rest;
        const at = rest.indexOf(NEWLINE);
        if (at >= 0) {
          if (this.partialBytes + at > limit) throw new LineTooLong(limit);
          const line = this.partial.length === 0 ? rest.subarray(0, at) : Buffer.concat([...this.partial, rest.subarray(0, at)]);
          this.rest = at + 1 < rest.length ? rest.subarray(at + 1) : null;
          this.partial = [];
          this.partialBytes = 0;
          return line;
        }
        this.partialBytes += rest.length;
        if (this.partialBytes > limit) throw new LineTooLong(limit);
        this.partial.push(rest);
        this.rest = null;
      }
      const chunk = await this.take();
      if (chunk === null) return null;
      this.rest = chunk;
    }
  }

  /** How the stream ended; only meaningful once next() returned null. */
  end(): LinesEnd {
    if (this.failure !== null) return { kind: 'cut', reason: gzipReason(this.failure) };
    if (this.partialBytes > 0) return { kind: 'cut', reason: `its last ${this.partialBytes} bytes are a record without its end of line` };
    return { kind: 'eof' };
  }

  close(): void {
    this.stream.destroy();
    this.source.destroy();
  }

  private async take(): Promise<Buffer | null> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        if (this.chunks.length < READ_AHEAD / 2 && !this.finished) this.stream.resume();
        return chunk;
      }
      if (this.finished) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private stop(err: Error | null): void {
    if (this.finished) return;
    this.finished = true;
    this.failure = err;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

function gzipReason(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'Z_BUF_ERROR') return 'the gzip data stops in the middle (the file was cut: the scan was killed, crashed or is still writing)';
  if (typeof code === 'string' && code.startsWith('Z_')) return `the gzip data is damaged (${err.message})`;
  return `reading it failed (${err.message})`;
}
