// Slices of one inventory for scans that run on several machines at once (`--shard K/N`): hosts
// sorted by name and dealt round-robin, as AWX job slicing deals an inventory ordered by name, so
// that every shard, knowing only K and N, takes its own hosts and no two take the same. And the
// digest that tells whether snapshots are shards of one selection (`fleetstat merge` compares it).
import { createHash } from 'node:crypto';
import type { HostSpec, Shard, SshArgumentList } from '../model/index.js';
import { InventoryError } from './errors.js';
import { byCodePoint } from './vars.js';

/** A host of a slice, with its position in the whole selection (the output order of the merged scan). */
export interface IndexedHost {
  index: number;
  spec: HostSpec;
}

/** The environment variable that gives `--shard auto` the total under a Kubernetes Indexed Job (which has no such variable itself). */
export const SHARD_TOTAL_VARIABLE = 'FLEETSTAT_SHARD_TOTAL';

/**
 * Shard `index` of `total` (1-based): the selection sorted by name (by code point, so that every
 * machine sorts alike whatever its locale), every total-th host from the index-th, then put back in
 * inventory order. null: the whole selection.
 */
export function shardHosts(hosts: readonly HostSpec[], shard: Shard | null): IndexedHost[] {
  const all = hosts.map((spec, index) => ({ index, spec }));
  if (shard === null) return all;
  const byName = [...all].sort((a, b) => byCodePoint(a.spec.name, b.spec.name) || a.index - b.index);
  return byName.filter((_, rank) => rank % shard.total === shard.index - 1).sort((a, b) => a.index - b.index);
}

/**
 * What `--shard` says: `K/N` with 1 ≤ K ≤ N, or `auto`, read from the job runner's own variables:
 * a Kubernetes Indexed Job's JOB_COMPLETION_INDEX (0-based) with FLEETSTAT_SHARD_TOTAL, or GitLab's
 * CI_NODE_INDEX (1-based) with CI_NODE_TOTAL (a GitLab job without `parallel:` has only
 * CI_NODE_TOTAL=1: the whole selection, as 1/1). undefined: no sharding.
 */
export function parseShard(flagValue: string | undefined, env: Readonly<Record<string, string | undefined>>): Shard | null {
  if (flagValue === undefined) return null;
  if (flagValue === 'auto') return shardFromEnvironment(env);
  const parts = /^([0-9]+)\/([0-9]+)$/.exec(flagValue);
  if (parts === null) throw shardError(`"${flagValue}" is not K/N (e.g. 2/5, 1-based) or auto`);
  return checkedShard(wholeNumber(parts[1]!, 'K'), wholeNumber(parts[2]!, 'N'), `"${flagValue}"`);
}

function shardFromEnvironment(env: Readonly<Record<string, string | undefined>>): Shard {
  const k8s = env.JOB_COMPLETION_INDEX;
  const gitlab = env.CI_NODE_INDEX;
  if (k8s !== undefined && gitlab !== undefined) {
    throw shardError('auto: both JOB_COMPLETION_INDEX (Kubernetes) and CI_NODE_INDEX (GitLab) are set; give --shard K/N');
  }
  if (k8s !== undefined) {
    const total = env[SHARD_TOTAL_VARIABLE];
    if (total === undefined) throw shardError(`auto: JOB_COMPLETION_INDEX is set but ${SHARD_TOTAL_VARIABLE} is not (set it to the Job's completions)`);
    const index = variable(k8s, 'JOB_COMPLETION_INDEX');
    return checkedShard(index + 1, variable(total, SHARD_TOTAL_VARIABLE), `JOB_COMPLETION_INDEX=${index} (0-based) with ${SHARD_TOTAL_VARIABLE}=${total}`);
  }
  const total = env.CI_NODE_TOTAL;
  if (gitlab !== undefined) {
    if (total === undefined) throw shardError('auto: CI_NODE_INDEX is set but CI_NODE_TOTAL is not');
    return checkedShard(variable(gitlab, 'CI_NODE_INDEX'), variable(total, 'CI_NODE_TOTAL'), `CI_NODE_INDEX=${gitlab} with CI_NODE_TOTAL=${total}`);
  }
  if (total !== undefined && variable(total, 'CI_NODE_TOTAL') === 1) return { index: 1, total: 1 };
  throw shardError(`auto: no job index in the environment (JOB_COMPLETION_INDEX with ${SHARD_TOTAL_VARIABLE}, or CI_NODE_INDEX with CI_NODE_TOTAL)`);
}

function variable(value: string, name: string): number {
  if (!/^[0-9]+$/.test(value)) throw shardError(`auto: ${name}="${value}" is not a whole number`);
  return wholeNumber(value, name);
}

function wholeNumber(digits: string, name: string): number {
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) throw shardError(`${name} ${digits} is too large`);
  return n;
}

function checkedShard(index: number, total: number, given: string): Shard {
  if (total < 1) throw shardError(`${given}: the number of shards must be at least 1`);
  if (index < 1 || index > total) throw shardError(`${given}: shard ${index} of ${total} does not exist (shards are 1 to ${total})`);
  return { index, total };
}

function shardError(detail: string): InventoryError {
  return new InventoryError('--shard', 0, 0, detail, 'bad-shard');
}

/**
 * sha256 of the selected hosts, in inventory order (a record's index means a position in it), each
 * as what decides how it is reached: name, address, port, user, key, groups, connection, become, the
 * ssh arguments' words, whether it is contacted. Not where each was written (file paths, lines):
 * shards run in different checkouts of one inventory must agree.
 */
export function inventoryDigest(hosts: readonly HostSpec[]): string {
  const hash = createHash('sha256').update('fleetstat/inventory-digest@1\n');
  for (const h of hosts) {
    const canonical = [
      h.name, h.address, h.port ?? null, h.user ?? null, h.identityFile ?? null, h.groups, h.connection, h.become,
      h.sshArguments ? [words(h.sshArguments.before), words(h.sshArguments.after)] : null,
      h.notContactedBecause !== undefined,
    ];
    hash.update(`${JSON.stringify(canonical)}\n`);
  }
  return hash.digest('hex');
}

const words = (lists: SshArgumentList[]) => lists.map((l) => l.words);
