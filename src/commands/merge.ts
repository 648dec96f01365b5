// `fleetstat merge A B … -o ALL`: shard snapshots of one selection (`scan --shard K/N --save`) made
// into one snapshot, as if one scan had taken every host. Host records are copied as they are (each
// carries its index in the whole selection), one file after the other, never all held: what is kept
// across the files is one index per host, to refuse duplicates (each capture is inflated as it is
// read and compressed again as it is written: the bytes are the same, not the gzip of them). Anything that would make the merged
// snapshot lie is refused in one line (exit 2) before -o exists: another inventory, a shard missing
// or given twice, a host in two shards, a shard that was cut (unless --allow-incomplete).
import { randomBytes } from 'node:crypto';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { FleetstatCommand } from '../cli/command.js';
import { CliFailure } from '../cli/failure.js';
import { warnOnStderr, writeStdout } from '../cli/output.js';
import { readSnapshot } from '../capture/snapshot-reader.js';
import { openSnapshotWriter, type SnapshotWriter } from '../capture/snapshot-writer.js';
import type { SnapshotHeader, SnapshotTrailer } from '../model/index.js';

export interface MergeResult {
  output: string;
  shards: number;
  /** host records in the merged snapshot */
  hosts: number;
  statuses: Record<string, number>;
  /** false when --allow-incomplete took in a shard that was cut (the merged trailer then says interrupted) */
  complete: boolean;
}

export default class Merge extends FleetstatCommand {
  static override summary = 'Merge the snapshots of the shards of one scan (scan --shard K/N --save) into one snapshot.';
  static override examples = ['<%= config.bin %> merge shard-1.snap.gz shard-2.snap.gz shard-3.snap.gz -o fleet.snap.gz'];
  static override enableJsonFlag = true;
  static override strict = false; // one or more snapshots
  static override args = {
    snapshot: Args.string({ description: 'a shard\'s snapshot (one per shard, any order)', required: true }),
  };
  static override flags = {
    output: Flags.string({ char: 'o', description: 'the merged snapshot (written to a temporary file beside it, then renamed)', required: true }),
    'allow-incomplete': Flags.boolean({ description: 'take in a shard whose snapshot was cut (killed, crashed): its whole hosts are kept, the rest are missing', default: false }),
  };

  async run(): Promise<MergeResult> {
    const { argv, flags } = await this.parse(Merge);
    const result = await mergeSnapshots(argv as string[], flags.output, flags['allow-incomplete']);
    if (!this.jsonEnabled()) writeStdout(`merged ${result.shards} shards (${result.hosts} hosts) into ${result.output}\n`);
    return result;
  }
}

const refuse = (message: string, file: string, issue: string) => new CliFailure('input', message, { file, issue }, 'merge');

export async function mergeSnapshots(paths: string[], output: string, allowIncomplete: boolean): Promise<MergeResult> {
  // the headers first, each file let go at once (a thousand shards must not hold a thousand files)
  const headers: SnapshotHeader[] = [];
  for (const path of paths) {
    const reading = await readSnapshot(path);
    reading.close();
    headers.push(reading.header);
  }
  const first = checkShards(paths, headers);
  const temp = join(dirname(output), `.${basename(output)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let writer: SnapshotWriter;
  try {
    writer = await openSnapshotWriter(temp);
  } catch (err) {
    throw new CliFailure('output', `cannot write ${output}: ${(err as Error).message}`, undefined, 'merge');
  }
  try {
    const result = await copyHosts(paths, headers, first, writer, allowIncomplete);
    await writer.close();
    await rename(temp, output);
    return { output, ...result };
  } catch (err) {
    await writer.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw err;
  }
}

/** The shards' headers agree, and make up every shard once. Returns the first shard's header. */
function checkShards(paths: string[], headers: SnapshotHeader[]): SnapshotHeader {
  const first = headers[0]!;
  const shardOf = new Map<number, string>();
  headers.forEach((h, i) => {
    const path = paths[i]!;
    if (h.shard === null) throw refuse(`${path}: is not a shard (it was saved without --shard): nothing to merge it with`, path, 'not-a-shard');
    if (h.inventory.digest !== first.inventory.digest || h.inventory.hosts !== first.inventory.hosts) {
      throw refuse(`${path}: is a scan of another inventory than ${paths[0]} (inventory digest ${h.inventory.digest.slice(0, 12)}…, not ${first.inventory.digest.slice(0, 12)}…)`, path, 'other-inventory');
    }
    if (h.shard.total !== first.shard!.total) throw refuse(`${path}: is shard ${h.shard.index}/${h.shard.total}, but ${paths[0]} is one of ${first.shard!.total}`, path, 'other-total');
    const twice = shardOf.get(h.shard.index);
    if (twice !== undefined) throw refuse(`${path}: shard ${h.shard.index}/${h.shard.total} is given twice (also ${twice})`, path, 'duplicate-shard');
    shardOf.set(h.shard.index, path);
    if (JSON.stringify(h.options) !== JSON.stringify(first.options)) warnOnStderr(`${path}: was scanned with other options than ${paths[0]}; the merged snapshot keeps ${paths[0]}'s`);
  });
  const total = first.shard!.total;
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((k) => !shardOf.has(k));
  if (missing.length > 0) {
    // the command line is short of files: no one file is at fault
    throw new CliFailure('usage', `shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${total}`).join(', ')} missing: give all ${total} shards of the scan`, undefined, 'merge');
  }
  return first;
}

async function copyHosts(paths: string[], headers: SnapshotHeader[], first: SnapshotHeader, writer: SnapshotWriter, allowIncomplete: boolean) {
  const startedAt = headers.map((h) => h.startedAt).reduce(earliest);
  await writer.header({ ...first, startedAt, shard: null });
  const seen = new Map<number, number>(); // host index → which input holds it
  const statuses: Record<string, number> = {};
  const ends: SnapshotTrailer[] = [];
  let hosts = 0;
  let complete = true;
  for (const [i, path] of paths.entries()) {
    const reading = await readSnapshot(path);
    const before = hosts;
    try {
      if (JSON.stringify(reading.header) !== JSON.stringify(headers[i])) throw refuse(`${path}: changed while it was merged`, path, 'changed');
      for await (const host of reading.hosts) {
        const other = seen.get(host.index);
        if (other !== undefined) throw refuse(`${path}: host ${host.spec.name} (index ${host.index}) is also in ${paths[other]}`, path, 'duplicate-host');
        seen.set(host.index, i);
        statuses[host.result.status] = (statuses[host.result.status] ?? 0) + 1;
        hosts += 1;
        await writer.host(host);
      }
    } finally {
      reading.close();
    }
    const end = reading.end();
    if (end.complete) {
      // shard K/N of H hosts dealt round-robin holds ceil((H - K + 1) / N) of them (as shardHosts deals)
      const { index, total } = headers[i]!.shard!;
      const expected = Math.max(0, Math.ceil((first.inventory.hosts - index + 1) / total));
      const held = hosts - before;
      if (held !== expected) throw refuse(`${path}: holds ${held} hosts, but shard ${index}/${total} of a selection of ${first.inventory.hosts} has ${expected}`, path, 'missing-hosts');
      ends.push(end.trailer);
    }
    else if (allowIncomplete) {
      complete = false;
      warnOnStderr(`${end.reason}; merged without its missing hosts (--allow-incomplete)`);
    } else throw refuse(`${end.reason}; give --allow-incomplete to merge what it has`, path, 'incomplete-shard');
  }
  const finishedAt = ends.map((t) => t.finishedAt).reduce(latest, startedAt);
  await writer.trailer({ record: 'trailer', finishedAt, hosts, statuses, interrupted: !complete || ends.some((t) => t.interrupted) });
  return { shards: paths.length, hosts, statuses, complete };
}

// RFC 3339 times in different offsets do not sort as strings
const earliest = (a: string, b: string) => (Date.parse(b) < Date.parse(a) ? b : a);
const latest = (a: string, b: string) => (Date.parse(b) > Date.parse(a) ? b : a);
