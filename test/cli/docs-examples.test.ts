// The Kubernetes and GitLab examples in docs/ parse (YAML, and the shell inside them), and agree with
// what fleetstat reads: the Indexed Job's total is its completions, each runner passes --shard auto,
// the merge takes every shard.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { parseShard } from '../../src/inventory/shard.js';
import { repo } from '../helpers/run-cli.js';

const load = (name: string) => {
  const docs = parseAllDocuments(readFileSync(`${repo}docs/examples/${name}`, 'utf8'));
  for (const d of docs) expect(d.errors).toEqual([]);
  return docs.map((d) => d.toJS() as Record<string, any>);
};
const shellParses = (script: string) => spawnSync('sh', ['-n'], { input: script, encoding: 'utf8' });

test('the Kubernetes Indexed Job: FLEETSTAT_SHARD_TOTAL is its completions, and every index is a shard', () => {
  const docs = load('kubernetes-indexed-job.yaml');
  expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'PersistentVolumeClaim', 'Job']);
  const job = docs[2]!;
  expect(job.spec.completionMode).toBe('Indexed');
  const container = job.spec.template.spec.containers[0];
  const total = container.env.find((e: { name: string }) => e.name === 'FLEETSTAT_SHARD_TOTAL').value;
  expect(Number(total)).toBe(job.spec.completions);
  for (let index = 0; index < job.spec.completions; index++) {
    expect(parseShard('auto', { JOB_COMPLETION_INDEX: String(index), FLEETSTAT_SHARD_TOTAL: total })).toEqual({ index: index + 1, total: job.spec.completions });
  }
  const script = container.args.join('\n');
  expect(script).toMatch(/fleetstat scan .* --shard auto/s);
  expect(shellParses(script).stderr).toBe('');
  // the volume the snapshots go to is the one the merge reads
  const merge = load('kubernetes-merge-job.yaml');
  expect(merge.map((d) => d.kind)).toEqual(['Job']);
  const mergeSpec = merge[0]!.spec.template.spec;
  expect(mergeSpec.volumes[0].persistentVolumeClaim.claimName).toBe(docs[1]!.metadata.name);
  const mergeScript = mergeSpec.containers[0].args.join('\n');
  expect(mergeScript).toMatch(/fleetstat merge \/snapshots\/shard-\*\.snap\.gz -o /);
  expect(shellParses(mergeScript).stderr).toBe('');
});

test('the GitLab pipeline: a parallel scan job with --shard auto, a merge that needs it and takes every artifact', () => {
  const [ci] = load('gitlab-ci-sharded.yml');
  const scan = ci!['fleetstat-scan'];
  expect(scan.parallel).toBeGreaterThan(1);
  for (let index = 1; index <= scan.parallel; index++) {
    expect(parseShard('auto', { CI_NODE_INDEX: String(index), CI_NODE_TOTAL: String(scan.parallel) })).toEqual({ index, total: scan.parallel });
  }
  expect(scan.script.join('\n')).toMatch(/--shard auto .*--save "shard-\$\{CI_NODE_INDEX\}\.snap\.gz"/);
  expect(scan.artifacts.paths).toEqual(['shard-*.snap.gz']);
  expect(scan.allow_failure.exit_codes).toEqual([4, 8, 12]);
  const merge = ci!['fleetstat-merge'];
  expect(merge.needs).toEqual(['fleetstat-scan']);
  expect(ci!.stages.indexOf(merge.stage)).toBeGreaterThan(ci!.stages.indexOf(scan.stage));
  expect(merge.script[0]).toBe('fleetstat merge shard-*.snap.gz -o fleet.snap.gz');
  for (const job of [scan, merge]) expect(shellParses([...ci!['.fleetstat'].before_script, ...job.script].join('\n')).stderr).toBe('');
});
