// 600k sockets (60 hosts × 10k, built in code one host at a time, handed over out of order): every
// format is written complete and valid, and what the outputs retain stays bounded. The figures are
// printed (heap retained after a forced GC, peak heapUsed, RSS, bytes written); no time is asserted.
import { constants } from 'node:buffer';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { HostScan, Socket } from '../../src/model/index.js';
import { openOutput, OUTPUT_FORMATS, type OutputFormat } from '../../src/report/index.js';
import { schemaErrors } from '../helpers/schema.js';
import { FINISHED, STARTED } from './output-helpers.js';
import { facts, inet, proc, unix } from './scan-fixtures.js';

const HOSTS = 60;
const SOCKETS = 10_000;
const UNIX_EVERY = 5; // one socket in five is a unix socket

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 1024 * 1024;
const MAX_STRING_LENGTH = constants.MAX_STRING_LENGTH;

function socket(host: number, i: number): Socket {
  const holder = [proc(1000 + (i % 97), `worker-${i % 13}`, i % 2 === 0 ? 'root' : 'www-data', i % 2 === 0 ? 0 : 33, ['/usr/bin/worker', `--slot=${i}`])];
  if (i % UNIX_EVERY === 0) return unix(`/run/app/${host}/sock-${i}`, { inode: 100_000 + i, processes: holder });
  return inet({
    proto: i % 3 === 0 ? 'udp' : 'tcp',
    state: i % 3 === 0 ? 'UNCONN' : i % 2 === 0 ? 'LISTEN' : 'ESTABLISHED',
    local: { address: `10.${host}.${(i >> 8) & 255}.${i & 255}`, port: 1024 + (i % 60000) },
    remote: i % 3 === 0 || i % 2 === 0 ? { address: '0.0.0.0', port: 0 } : { address: '192.0.2.9', port: 40000 + (i % 20000) },
    inode: 100_000 + i,
    processes: holder,
    direction: i % 2 === 0 ? 'listen' : 'outbound',
  });
}

function bigHost(index: number): HostScan {
  return {
    name: `node-${String(index).padStart(2, '0')}`,
    address: `127.0.${index}.1`,
    port: 22,
    groups: ['big'],
    status: 'ok',
    facts: facts({ hostname: `node-${index}` }),
    sockets: Array.from({ length: SOCKETS }, (_, i) => socket(index, i)),
    issues: [],
  };
}

/** Pairs swapped, and host 10 ends after host 20: some wait in memory, some in the spool file. */
function arrivalOrder(hosts: number): number[] {
  const order = Array.from({ length: hosts }, (_, i) => (i % 2 === 0 ? i + 1 : i - 1));
  order.splice(order.indexOf(10), 1);
  order.splice(order.indexOf(20) + 1, 0, 10);
  return order;
}

/** A Writable that keeps nothing: it hands each complete line to `onLine`. */
class LineChecker extends Writable {
  bytes = 0;
  private rest = '';

  constructor(private readonly onLine: (line: string) => void) {
    super({ decodeStrings: false });
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const text = this.rest + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    this.bytes += Buffer.byteLength(text) - Buffer.byteLength(this.rest);
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    try {
      for (const line of lines) this.onLine(line);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    callback(this.rest === '' ? null : new Error(`output ends without a newline: ${this.rest.slice(0, 80)}`));
  }
}

interface Check {
  sink: LineChecker;
  /** throws unless everything was seen */
  verify(): void;
}

/** What each format must have written: every host in order, every socket, valid records. */
function checker(format: OutputFormat, hosts: number): Check {
  const names = Array.from({ length: hosts }, (_, i) => `node-${String(i).padStart(2, '0')}`);
  const HOSTS = hosts;
  let lines = 0;
  const seenHosts: string[] = [];
  let sockets = 0;
  const seen = (name: string) => {
    if (seenHosts[seenHosts.length - 1] !== name) seenHosts.push(name);
  };
  const done = (expectedLines: number) => () => {
    expect(seenHosts).toEqual(names);
    expect(sockets).toBe(HOSTS * SOCKETS);
    expect(lines).toBe(expectedLines);
  };
  if (format === 'ndjson') {
    const sink = new LineChecker((line) => {
      const record = JSON.parse(line);
      if (lines % 9973 === 0) expect(schemaErrors(record, 'socket')).toEqual([]);
      lines += 1;
      seen(record.host.name);
      if (record.socket !== null) sockets += 1;
    });
    return { sink, verify: done(HOSTS * SOCKETS) };
  }
  if (format === 'csv') {
    const sink = new LineChecker((line) => {
      lines += 1;
      if (lines === 1) return expect(line.startsWith('host,address,status')).toBe(true);
      seen(line.slice(0, line.indexOf(',')));
      sockets += 1;
    });
    return { sink, verify: done(HOSTS * SOCKETS + 1) };
  }
  if (format === 'table') {
    const sink = new LineChecker((line) => {
      lines += 1;
      if (line.startsWith('node-')) {
        seen(line.slice(0, line.indexOf(' ')));
        sockets += 1;
      }
    });
    // hosts appear twice (the Internet section, then the unix one): count each section's order
    return {
      sink,
      verify: () => {
        expect(seenHosts).toEqual([...names, ...names]);
        expect(sockets).toBe(HOSTS * SOCKETS);
        expect(lines).toBe(HOSTS * SOCKETS + 4); // two titles, two headers
      },
    };
  }
  // JSON: each host's lines are put back together and checked against the schema, one host at a time
  let head = '';
  let host: string[] | undefined;
  let tail = '';
  const sink = new LineChecker((line) => {
    lines += 1;
    if (host === undefined && line === '    {') host = [line];
    else if (host !== undefined) {
      host.push(line);
      if (line === '    },' || line === '    }') {
        const parsed = JSON.parse(host.join('\n').replace(/,$/, ''));
        if (seenHosts.length % 15 === 0) expect(schemaErrors({ schema: 'fleetstat/scan@1', startedAt: STARTED, finishedAt: FINISHED, hosts: [parsed] })).toEqual([]);
        seen(parsed.name);
        sockets += parsed.sockets.length;
        host = undefined;
      }
    } else if (seenHosts.length === 0) head += `${line}\n`;
    else tail += `${line}\n`;
  });
  return {
    sink,
    verify: () => {
      expect(head).toBe(`{\n  "schema": "fleetstat/scan@1",\n  "startedAt": "${STARTED}",\n  "hosts": [\n`);
      expect(tail).toBe(`  ],\n  "finishedAt": "${FINISHED}"\n}\n`);
      expect(seenHosts).toEqual(names);
      expect(sockets).toBe(HOSTS * SOCKETS);
    },
  };
}

async function scanOf(format: OutputFormat, hosts: number): Promise<number> {
  const spoolDir = mkdtempSync(join(tmpdir(), 'fleetstat-big-'));
  const check = checker(format, hosts);
  gc();
  const baseline = process.memoryUsage().heapUsed;
  let retainedPeak = 0;
  let heapPeak = 0;
  let rssPeak = 0;
  const sample = (forceGc: boolean) => {
    if (forceGc) {
      gc();
      retainedPeak = Math.max(retainedPeak, process.memoryUsage().heapUsed - baseline);
    }
    const usage = process.memoryUsage();
    heapPeak = Math.max(heapPeak, usage.heapUsed - baseline);
    rssPeak = Math.max(rssPeak, usage.rss);
  };
  const output = openOutput(format, check.sink, { color: false, width: 120, spoolDir });
  await output.start({ startedAt: STARTED });
  const order = arrivalOrder(hosts);
  for (let n = 0; n < order.length; n++) {
    await output.host(order[n]!, bigHost(order[n]!));
    sample(n % 20 === 19);
  }
  const ending = output.end({ finishedAt: FINISHED });
  const watch = setInterval(() => sample(false), 50);
  await ending.finally(() => clearInterval(watch));
  sample(true);
  check.sink.end();
  await finished(check.sink);
  check.verify();
  expect(readdirSync(spoolDir)).toEqual([]);
  console.log(
    `${format}: ${hosts * SOCKETS} sockets, ${(check.sink.bytes / MiB).toFixed(0)} MiB written; heap retained (after GC) at most +${(retainedPeak / MiB).toFixed(1)} MiB, heapUsed peak +${(heapPeak / MiB).toFixed(0)} MiB, RSS peak ${(rssPeak / MiB).toFixed(0)} MiB`,
  );
  // the fleet itself would be some 600 B × 600k = 360 MiB: what is retained is a few hosts' worth
  expect(retainedPeak).toBeLessThan(128 * MiB);
  return check.sink.bytes;
}

describe(`a fleet of ${HOSTS} × ${SOCKETS} sockets`, () => {
  it.each(OUTPUT_FORMATS.filter((f) => f !== 'json'))('%s: complete, valid, in order, and the memory it retains is bounded', async (format) => {
    await scanOf(format, HOSTS);
  }, 600_000);

  // JSON with a third more hosts (the same checks): a document longer than V8 lets a string be
  it('json (80 hosts): complete, valid, in order, bounded, and longer than a string may be (formatting it whole threw "Invalid string length")', async () => {
    expect(await scanOf('json', 80)).toBeGreaterThan(MAX_STRING_LENGTH);
  }, 600_000);
});
