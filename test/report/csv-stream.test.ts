// The streamed CSVs hold no host's rows: each socket is read only when its row is about to be written,
// and a write that the output has not taken yet holds the writer back. Checked without timing: when
// the output receives a chunk, exactly the sockets whose rows that chunk (and those before it) carry
// have been read from the host. A writer that builds all of a host's rows first (as the sockets CSV
// once did, 10k row objects per host) has read every socket before its first write.
import { Writable } from 'node:stream';
import type { HostScan, Socket } from '../../src/model/index.js';
import { formatCsv, openCsvWriter } from '../../src/report/csv.js';
import { openListenersCsvWriter } from '../../src/report/listeners-csv.js';
import type { FormatWriter } from '../../src/report/output.js';
import { FINISHED, STARTED } from './output-helpers.js';
import { facts, inet, proc, scan } from './scan-fixtures.js';

const SOCKETS = 3_000;

function listener(i: number): Socket {
  return inet({
    proto: 'tcp',
    state: 'LISTEN',
    local: { address: `10.0.${i >> 8}.${i & 255}`, port: 1024 + i },
    inode: 10_000 + i,
    processes: [proc(100 + i, `worker-${i}`, 'www-data', 33, ['/usr/bin/worker', `--slot=${i}`, '--name=a,"b"'])],
  });
}

function host(sockets: Socket[]): HostScan {
  return { name: 'big1', address: '192.0.2.7', port: 22, groups: ['big'], status: 'ok', facts: facts(), sockets, issues: [] };
}

/** The host's sockets behind a proxy that counts how far into them a reader has gone. */
function counted(sockets: Socket[]): { sockets: Socket[]; read: () => number } {
  let furthest = -1;
  const proxy = new Proxy(sockets, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) furthest = Math.max(furthest, Number(key));
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { sockets: proxy, read: () => furthest + 1 };
}

/** Takes one chunk at a time (a buffer of one byte, each write done on a later turn), noting for each how many sockets had been read. */
class NotingSink extends Writable {
  readonly chunks: Array<{ text: string; socketsRead: number }> = [];

  constructor(private readonly socketsRead: () => number) {
    super({ highWaterMark: 1, decodeStrings: false });
  }

  override _write(chunk: string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push({ text: chunk, socketsRead: this.socketsRead() });
    setImmediate(callback);
  }
}

const WRITERS: ReadonlyArray<[string, (out: Writable) => FormatWriter]> = [
  ['sockets', openCsvWriter],
  ['listeners', openListenersCsvWriter],
];

describe.each(WRITERS)('the %s CSV writer', (_, open) => {
  it(`reads a host's sockets only as their rows are written (${SOCKETS} sockets)`, async () => {
    const all = Array.from({ length: SOCKETS }, (_, i) => listener(i));
    const { sockets, read } = counted(all);
    const sink = new NotingSink(read);
    const writer = open(sink);
    await writer.start({ startedAt: STARTED });
    await writer.host(host(sockets));
    await writer.end({ finishedAt: FINISHED });

    // several writes, each a batch of rows, not one per row nor one per host
    expect(sink.chunks.length).toBeGreaterThan(3);
    expect(sink.chunks.length).toBeLessThan(SOCKETS / 100);
    let rowsWritten = -1; // the header's line is no socket's
    for (const chunk of sink.chunks) {
      rowsWritten += chunk.text.split('\n').length - 1;
      expect(chunk.socketsRead).toBe(rowsWritten);
    }
    expect(rowsWritten).toBe(SOCKETS);
  });
});

it('the sockets CSV, streamed a row at a time, is what the whole result formatted at once is', async () => {
  const sockets = Array.from({ length: SOCKETS }, (_, i) => listener(i));
  const sink = new NotingSink(() => 0);
  const writer = openCsvWriter(sink);
  await writer.start({ startedAt: STARTED });
  await writer.host(host(sockets));
  await writer.host({ ...host([]), name: 'down1', status: 'unreachable', error: { kind: 'unreachable', message: 'connect ECONNREFUSED' } });
  await writer.end({ finishedAt: FINISHED });
  expect(sink.chunks.map((c) => c.text).join('')).toBe(formatCsv(scan([host(sockets), { ...host([]), name: 'down1', status: 'unreachable', error: { kind: 'unreachable', message: 'connect ECONNREFUSED' } }])));
});
