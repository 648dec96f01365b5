// The ScanOutput contract: hosts in the order they end, output in index order, gaps, the spool kept
// on disk and removed, the Writable's backpressure and failures.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { HostScan } from '../../src/model/index.js';
import { formatCsv, formatJson, formatTable, openOutput, OUTPUT_FORMATS, type OutputFormat } from '../../src/report/index.js';
import { FINISHED, render, reversed, SlowSink, STARTED } from './output-helpers.js';
import { db1, gw1, scan, web1 } from './scan-fixtures.js';

function named(base: HostScan, name: string, sockets = base.sockets.length): HostScan {
  const many = Array.from({ length: sockets }, (_, i) => ({ ...base.sockets[i % base.sockets.length]!, inode: 5000 + i }));
  return { ...base, name, sockets: many };
}

/** Twelve hosts, some with many sockets, some failed. */
function twelve(): HostScan[] {
  return Array.from({ length: 12 }, (_, i) => named([web1(), db1(), gw1()][i % 3]!, `h${String(i).padStart(2, '0')}`, i % 3 === 2 ? 0 : 40 + i * 7));
}

/** A fixed shuffle (no randomness in tests): 5, 11, 0, 6, 1, 7, … */
function shuffled<T>(items: readonly T[]): Array<[number, T]> {
  const order = items.map((_, i) => i).sort((a, b) => ((a * 7 + 5) % items.length) - ((b * 7 + 5) % items.length));
  return order.map((i): [number, T] => [i, items[i]!]);
}

const whole = (format: OutputFormat, hosts: HostScan[]): string => {
  const result = { ...scan(hosts), startedAt: STARTED, finishedAt: FINISHED };
  if (format === 'json') return formatJson(result);
  if (format === 'csv') return formatCsv(result);
  if (format === 'table') return formatTable(result, { color: false });
  return '';
};

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'fleetstat-test-spool-'));
}

describe('openOutput', () => {
  it('offers table, json, ndjson and csv', () => {
    expect([...OUTPUT_FORMATS].sort()).toEqual(['csv', 'json', 'ndjson', 'table']);
  });

  it.each(OUTPUT_FORMATS)('%s: hosts that end out of order are written in index order', async (format) => {
    const hosts = twelve();
    const inOrder = await render(format, hosts.map((h, i) => [i, h] as const));
    // in memory (the default budget), and every late host through the spool file (a budget of 0)
    expect(await render(format, shuffled(hosts))).toBe(inOrder);
    expect(await render(format, shuffled(hosts), { color: false, waitingSockets: 0 })).toBe(inOrder);
    if (format !== 'ndjson') expect(inOrder).toBe(whole(format, hosts));
    else expect(inOrder.split('\n').slice(0, -1).map((l) => JSON.parse(l).host.name)).toEqual(hosts.flatMap((h) => Array(Math.max(1, h.sockets.length)).fill(h.name)));
  });

  it.each(OUTPUT_FORMATS)('%s: indexes with gaps (a cut snapshot) are written in order at the end', async (format) => {
    const hosts = twelve().slice(0, 4);
    const arrivals: Array<[number, HostScan]> = [
      [9, hosts[3]!],
      [2, hosts[1]!],
      [0, hosts[0]!],
      [5, hosts[2]!],
    ];
    expect(await render(format, arrivals, { color: false, waitingSockets: 0 })).toBe(await render(format, hosts.map((h, i) => [i, h] as const)));
  });

  it('writes a host as soon as every host before it is written (not at the end)', async () => {
    const sink = new SlowSink();
    const output = openOutput('ndjson', sink, { color: false });
    await output.start({ startedAt: STARTED });
    await output.host(1, gw1());
    expect(sink.text).toBe('');
    await output.host(0, web1());
    expect(sink.text.split('\n').slice(0, -1).map((l) => JSON.parse(l).host.name)).toEqual([...Array(6).fill('web1'), 'gw1']);
    await output.end({ finishedAt: FINISHED });
  });

  it('refuses an index given twice, and a negative one', async () => {
    const output = openOutput('json', new SlowSink(), { color: false });
    await output.start({ startedAt: STARTED });
    await output.host(3, gw1());
    await expect(output.host(3, gw1())).rejects.toThrow('host index 3 was given twice');
    await expect(openOutput('csv', new SlowSink(), { color: false }).host(-1, gw1())).rejects.toThrow(RangeError);
  });

  it.each(OUTPUT_FORMATS)('%s: removes its spool files at the end', async (format) => {
    const dir = freshDir();
    const hosts = twelve();
    const sink = new SlowSink();
    const output = openOutput(format, sink, { color: false, spoolDir: dir, waitingSockets: 0 });
    await output.start({ startedAt: STARTED });
    for (const [index, host] of reversed(hosts).slice(0, 6)) await output.host(index, host);
    // the late hosts (and the table's rows) are on disk meanwhile
    const during = readdirSync(dir);
    expect(during).toHaveLength(1);
    expect(readdirSync(join(dir, during[0]!)).length).toBeGreaterThan(0);
    for (const [index, host] of reversed(hosts).slice(6)) await output.host(index, host);
    await output.end({ finishedAt: FINISHED });
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each(OUTPUT_FORMATS)('%s: a failed write is the answer to the call that meets it and to every later one; the spool is removed', async (format) => {
    const dir = freshDir();
    const failing = new Writable({
      highWaterMark: 64,
      write: (_chunk, _encoding, callback) => setImmediate(() => callback(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }))),
    });
    failing.on('error', () => {}); // as the CLI's stdout guard does
    const output = openOutput(format, failing, { color: false, spoolDir: dir, waitingSockets: 0 });
    const hosts = twelve();
    const attempt = async () => {
      await output.start({ startedAt: STARTED });
      await output.host(1, hosts[1]!); // waits: it goes to the spool
      for (const [index, host] of hosts.map((h, i) => [i, h] as const)) if (index !== 1) await output.host(index, host);
      await output.end({ finishedAt: FINISHED });
    };
    await expect(attempt()).rejects.toThrow('ENOSPC');
    await expect(output.end({ finishedAt: FINISHED })).rejects.toThrow('ENOSPC');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('abort removes the spool, even while a write waits for a drain that never comes', async () => {
    const dir = freshDir();
    const stuck = new Writable({ highWaterMark: 1024, write: () => {} }); // never calls back: the first write fills it
    const output = openOutput('json', stuck, { color: false, spoolDir: dir, waitingSockets: 0 });
    await output.start({ startedAt: STARTED });
    await output.host(2, gw1()); // spooled
    const pending = output.host(0, web1());
    let settled = false;
    pending.then(() => (settled = true), () => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false); // it waits for 'drain'
    await output.abort();
    expect(readdirSync(dir)).toEqual([]);
    await expect(output.end({ finishedAt: FINISHED })).rejects.toThrow('aborted');
  });

  it.each(OUTPUT_FORMATS)('%s: waits for the Writable to drain rather than buffering the fleet in it', async (format) => {
    const sink = new SlowSink(false, 256);
    let peakBuffered = 0;
    const watch = setInterval(() => (peakBuffered = Math.max(peakBuffered, sink.writableLength)), 0);
    const many = Array.from({ length: 5 }, (_, i) => named(web1(), `w${i}`, 2000));
    try {
      await render(format, many.map((h, i) => [i, h] as const), { color: false }, sink);
    } finally {
      clearInterval(watch);
    }
    expect(sink.bytes).toBeGreaterThan(500_000);
    // a chunk of at most a batch (64 KiB) or a host's JSON piece is over the mark at a time, never the fleet
    expect(peakBuffered).toBeLessThan(sink.bytes / 2);
  });
});

