// Drives a ScanOutput as the scan does, into a Writable that keeps what it is given.
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { HostScan } from '../../src/model/index.js';
import { openOutput, type OutputFormat } from '../../src/report/index.js';
import type { ReportOptions } from '../../src/report/output.js';

export const STARTED = '2024-05-01T12:00:00.000Z';
export const FINISHED = '2024-05-01T12:00:03.250Z';

/** A Writable with a small buffer that takes each chunk on a later turn, so that writers meet backpressure. */
export class SlowSink extends Writable {
  private readonly chunks: string[] = [];
  bytes = 0;
  writes = 0;

  constructor(private readonly keep = true, highWaterMark = 1024) {
    super({ highWaterMark, decodeStrings: false });
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (this.keep) this.chunks.push(text);
    this.bytes += Buffer.byteLength(text);
    this.writes += 1;
    setImmediate(callback);
  }

  get text(): string {
    return this.chunks.join('');
  }
}

/** Hosts handed over as [index, host] in the order given (the order they "ended"), then the end. */
export async function render(format: OutputFormat, arrivals: ReadonlyArray<readonly [number, HostScan]>, options: ReportOptions = { color: false }, sink = new SlowSink()): Promise<string> {
  const output = openOutput(format, sink, options);
  await output.start({ startedAt: STARTED });
  for (const [index, host] of arrivals) await output.host(index, host);
  await output.end({ finishedAt: FINISHED });
  sink.end();
  await finished(sink);
  return sink.text;
}

/** Every host at its place, arriving last first. */
export function reversed(hosts: readonly HostScan[]): Array<[number, HostScan]> {
  return hosts.map((h, i): [number, HostScan] => [i, h]).reverse();
}
