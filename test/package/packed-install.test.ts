// The package as a user gets it: `npm pack`, the tarball installed into an empty folder elsewhere,
// then the README's first scan run from there. Catches files the package needs at run time but does
// not ship (the collection script once was missing: every scan from the tarball exited 1, ENOENT).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schemaErrors } from '../helpers/schema.js';

const repo = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'fleetstat-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  if (result.error) throw result.error;
  return result;
}

let tarball = '';
let app = '';

beforeAll(() => {
  // --ignore-scripts: pack the dist/ that `npm test` just built; `prepare` would rebuild it under
  // the feet of the CLI tests running beside this one
  const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo);
  expect(pack.status).toBe(0);
  const [info] = JSON.parse(pack.stdout) as Array<{ filename: string }>;
  tarball = join(work, info!.filename);

  app = join(work, 'app');
  run('mkdir', ['-p', app], work);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fleetstat-user', version: '1.0.0', private: true }));
  // the cache that installed this checkout's dependencies serves them again: no download when warm
  const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], app);
  expect(install.stderr).not.toMatch(/ERR!/);
  expect(install.status).toBe(0);
}, 240_000);

test('the tarball ships what runs, and no sources or tests', () => {
  const list = run('tar', ['-tzf', tarball], work).stdout.split('\n').filter(Boolean);
  expect(list).toContain('package/dist/capture/collect.sh');
  expect(list).toContain('package/data/services.json');
  expect(list).toContain('package/bin/run.js');
  expect(list.filter((f) => /^package\/(src|test|fixtures)\//.test(f))).toEqual([]);
});

test('installed elsewhere, `fleetstat scan inventory/local.yml` scans this machine', () => {
  const installed = readdirSync(join(app, 'node_modules', 'fleetstat'));
  expect(installed).toContain('dist');
  const scan = run(join(app, 'node_modules', '.bin', 'fleetstat'), ['scan', join(repo, 'inventory/local.yml'), '--json', '-q'], app);
  expect(scan.stderr).not.toMatch(/ENOENT|\n\s+at /);
  expect(scan.status).toBe(0);
  const document = JSON.parse(scan.stdout);
  expect(schemaErrors(document)).toEqual([]);
  expect(document.hosts).toHaveLength(1);
  expect(['ok', 'partial']).toContain(document.hosts[0].status);
  expect(document.hosts[0].sockets.length).toBeGreaterThan(0);
}, 120_000);
