// Writing to a Writable the way a long output must: waiting for 'drain' when its buffer is full, and
// failing (never hanging) when the stream errors or closes while we wait.
import type { Writable } from 'node:stream';

/** The stream's own error, or why it can take nothing more. */
function unwritable(out: Writable): Error | undefined {
  if (out.errored) return out.errored;
  if (out.destroyed || out.writableEnded) return new Error('the output was closed before everything was written');
  return undefined;
}

/** Resolves once `out` can take more: at once, or at its next 'drain'; rejects if it fails first. */
export function drained(out: Writable): Promise<void> {
  const broken = unwritable(out);
  if (broken) return Promise.reject(broken);
  if (!out.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (err: Error) => done(err);
    const onClose = () => done(unwritable(out) ?? new Error('the output was closed before everything was written'));
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}

/** Writes `chunk`, then waits while `out`'s buffer is over its high-water mark. */
export async function writeChunk(out: Writable, chunk: string): Promise<void> {
  const broken = unwritable(out);
  if (broken) throw broken;
  if (chunk.length === 0) return;
  if (!out.write(chunk)) await drained(out);
}

/**
 * Text gathered into writes of about `size` characters (fewer, bigger writes). `add` says when the
 * batch is full; the caller then awaits `flush`, so `out`'s pace holds the writer back.
 */
export class BatchedText {
  private batch = '';

  constructor(private readonly out: Writable, private readonly size = 64 * 1024) {}

  /** true when the batch is full and should be flushed before more is added */
  add(text: string): boolean {
    this.batch += text;
    return this.batch.length >= this.size;
  }

  flush(): Promise<void> {
    const text = this.batch;
    this.batch = '';
    return writeChunk(this.out, text);
  }
}
