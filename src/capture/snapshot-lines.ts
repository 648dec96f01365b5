// A snapshot file as a stream of bounded lines: gunzipped when it starts with gzip's magic (read as
// it is otherwise: a snapshot someone decompressed), never held whole, each line scanned once. How the
// stream ended is kept apart from the lines: a cut or damaged file ends the lines, it loses none.
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';

export const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const NEWLINE = 0x0a;
/** bytes of the file read at a time */
const FILE_CHUNK = 16 * 1024;
/** decoded bytes waiting for the reader before the file is read further */
const READ_AHEAD_BYTES = 1024 * 1024;

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
  private queuedBytes = 0;
  private rest: Buffer | null = null;
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private finished = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private taken: (() => void) | null = null;
  private readonly source: Readable;
  private readonly gunzip: Gunzip | null;

  // The file is read in small chunks, each written to gunzip only once the one before it is decoded,
  // and gunzip is never paused: what zlib hands over is queued here at once, so an error cannot drop
  // it from a paused stream's buffer. zlib itself drops the output it has not handed over yet when it
  // fails (under one 16 KiB output chunk): damage loses at most the records decoded just before it; a
  // cut loses none; a gzip bomb decodes to at most one file chunk's worth ahead of the reader.
  constructor(file: FileHandle, gzipped: boolean) {
    this.source = file.createReadStream({ start: 0, highWaterMark: FILE_CHUNK });
    this.gunzip = gzipped ? createGunzip() : null;
    if (this.gunzip) {
      this.gunzip.on('data', (chunk: Buffer) => this.queue(chunk));
      this.gunzip.on('end', () => this.stop(null));
      this.gunzip.on('error', (err) => this.stop(err));
    }
    this.pump().catch((err: Error) => this.stop(err));
  }

  private async pump(): Promise<void> {
    for await (const chunk of this.source) {
      if (this.finished) return;
      if (this.gunzip === null) this.queue(chunk as Buffer);
      else await new Promise<void>((resolve) => this.gunzip!.write(chunk, () => resolve()));
      while (this.queuedBytes > READ_AHEAD_BYTES && !this.finished) await new Promise<void>((resolve) => (this.taken = resolve));
    }
    if (this.gunzip === null) this.stop(null);
    else this.gunzip.end();
  }

  private queue(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.queuedBytes += chunk.length;
    this.notify();
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
    this.stop(this.failure);
    this.gunzip?.destroy();
    this.source.destroy();
  }

  private async take(): Promise<Buffer | null> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        this.queuedBytes -= chunk.length;
        const taken = this.taken;
        this.taken = null;
        taken?.();
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
    const taken = this.taken;
    this.taken = null;
    taken?.();
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
