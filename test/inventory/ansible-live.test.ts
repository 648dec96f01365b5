// fleetstat against Ansible itself, run now (when ansible-core is installed, as on the CI machine):
//   - every fixture: the truth tool run live gives what fleetstat reads, and, with the same Ansible
//     version, exactly the saved truth file (so a saved file can never drift from what Ansible says);
//   - inventories made up here from a fixed seed (groups in a random DAG, priorities, vars at every
//     layer, group_vars/host_vars in every form Ansible accepts, YAML, INI, a directory): whatever
//     precedence rule fleetstat gets wrong shows up as a difference from Ansible.
// Nothing is contacted: the truth tool only reads the inventories.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describeIf, hasCommand } from '../helpers/requirements.js';
import { ansibleTruth, compareWithAnsible, FIXTURES, SOURCES, type Truth } from './ansible-truth.js';

const hasAnsible = hasCommand('ansible-inventory') && hasCommand('/usr/bin/python3');

describeIf(hasAnsible ? [] : ['ansible-core (ansible-inventory, /usr/bin/python3)'], 'fleetstat and Ansible, live', () => {
  describe.each(SOURCES)('%s', (source, options) => {
    const saved = JSON.parse(readFileSync(`${FIXTURES}${source}.ansible.json`, 'utf8')) as Truth;
    let live: Truth;
    beforeAll(async () => {
      live = await ansibleTruth(source, Object.keys(saved.limits));
    });

    test('fleetstat reads it as the installed Ansible does', () => {
      compareWithAnsible(source, live, options);
    });

    test('the saved truth file is what this Ansible says (when it is the same version)', () => {
      if (live.ansible === saved.ansible) expect(live).toEqual(saved);
      else console.warn(`ansible-core ${live.ansible} installed, truth files are from ${saved.ansible}: only compared with fleetstat`);
    });
  });

  // FLEETSTAT_LIVE_SEEDS=200 tries more of them (a failing seed can be replayed alone)
  const seeds = Array.from({ length: Number(process.env.FLEETSTAT_LIVE_SEEDS ?? 12) }, (_, i) => i + 1);
  describe.each(seeds)('a made-up inventory (seed %d)', (seed) => {
    let dir: string;
    let made: Made;
    let live: Truth;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), `fleetstat-live-${seed}-`));
      made = makeInventory(seed);
      for (const [name, text] of Object.entries(made.files)) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), text);
      }
      live = await ansibleTruth(made.source, made.limits, dir);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    test('the same hosts, order, group_names, connection settings, winning layers and --limit selections as Ansible', () => {
      expect(live.error).toBeUndefined();
      // hosts compared as sets: Ansible's own order below the first level changes from run to run
      compareWithAnsible(made.source, live, { cwd: dir, exactOrder: false });
    });
  });
});

interface Made {
  files: Record<string, string>;
  /** the inventory source, relative to the directory */
  source: string;
  limits: string[];
}

/** A small random inventory: mulberry32 from the seed, so a failure can be replayed. */
function makeInventory(seed: number): Made {
  let state = seed * 0x9e3779b9;
  const random = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const chance = (p: number): boolean => random() < p;

  const groups = Array.from({ length: 4 + Math.floor(random() * 4) }, (_, i) => `g${i}`);
  const parents = new Map(groups.map((g, i) => [g, i > 0 && chance(0.6) ? [...new Set([pick(groups.slice(0, i)), pick(groups.slice(0, i))])] : []]));
  const priority = new Map(groups.map((g) => [g, chance(0.3) ? 1 + Math.floor(random() * 4) : null]));
  const groupVars = new Map(groups.map((g, i) => [g, {
    winner: `inventory ${g}`,
    ...(chance(0.4) ? { ansible_port: 2000 + i } : {}),
    ...(chance(0.3) ? { ansible_user: `u${g}` } : {}),
  }]));
  const hosts = Array.from({ length: 5 + Math.floor(random() * 5) }, (_, i) => `h${i}`);
  const memberOf = new Map(hosts.map((h) => [h, [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(groups)))]]));
  const hostVars = new Map(hosts.map((h, i) => [h, chance(0.4) ? { winner: `inventory ${h}`, ...(chance(0.5) ? { ansible_port: 3000 + i } : {}) } : {}]));

  const directory = seed % 3 === 0;
  const ini = seed % 3 === 1;
  const base = directory ? 'inv/' : '';
  const files: Record<string, string> = {};

  if (ini) {
    const lines: string[] = ['[all:vars]', 'winner=inventory all', 'ansible_user=uall', ''];
    for (const g of groups) {
      lines.push(`[${g}]`, ...hosts.filter((h) => memberOf.get(h)!.includes(g)).map((h) =>
        [h, ...Object.entries(hostVars.get(h)!).map(([k, v]) => `${k}=${typeof v === 'number' ? v : `"${v}"`}`)].join(' ')), '');
      lines.push(`[${g}:vars]`, ...Object.entries(groupVars.get(g)!).map(([k, v]) => `${k}=${v}`));
      if (priority.get(g) !== null) lines.push(`ansible_group_priority=${priority.get(g)}`);
      lines.push('');
    }
    for (const g of groups) {
      const children = groups.filter((c) => parents.get(c)!.includes(g));
      if (children.length > 0) lines.push(`[${g}:children]`, ...children, '');
    }
    files['hosts'] = lines.join('\n');
  } else {
    // YAML: each group at the top level; a directory splits them over two files
    const yamlGroup = (g: string): string => {
      const vars = { ...groupVars.get(g)!, ...(priority.get(g) !== null ? { ansible_group_priority: priority.get(g) } : {}) };
      const members = hosts.filter((h) => memberOf.get(h)!.includes(g));
      const children = groups.filter((c) => parents.get(c)!.includes(g));
      return [
        `${g}:`,
        `  vars:`, ...Object.entries(vars).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`),
        ...(members.length > 0 ? ['  hosts:', ...members.map((h) => {
          const hv = Object.entries(hostVars.get(h)!);
          return hv.length === 0 ? `    ${h}:` : `    ${h}:\n${hv.map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`).join('\n')}`;
        })] : []),
        ...(children.length > 0 ? ['  children:', ...children.map((c) => `    ${c}:`)] : []),
      ].join('\n');
    };
    const order = [...groups].sort(() => random() - 0.5);
    const allPart = 'all:\n  vars:\n    winner: "inventory all"\n    ansible_user: uall\n';
    if (directory) {
      files[`${base}10-first.yml`] = allPart + order.slice(0, 2).map(yamlGroup).join('\n') + '\n';
      files[`${base}20-rest.yml`] = order.slice(2).map(yamlGroup).join('\n') + '\n';
    } else {
      files['hosts.yml'] = allPart + order.map(yamlGroup).join('\n') + '\n';
    }
  }

  // group_vars/ and host_vars/ in every form: NAME, NAME.yml, NAME.yaml, NAME.json, NAME/ (recursive)
  const varsFile = (dir: string, name: string, i: number): void => {
    const vars = (where: string) => ({ winner: `${dir} ${where}`, layer: where, ...(chance(0.3) ? { ansible_port: 4000 + i } : {}) });
    const form = pick(['', '.yml', '.yaml', '.json', '/']);
    if (form === '/') {
      files[`${base}${dir}/${name}/a.yml`] = `winner: "${dir} ${name}/a.yml"\nlayer: "${name}/a.yml"\n`;
      if (chance(0.5)) files[`${base}${dir}/${name}/b`] = `layer: "${name}/b"\n`;
      if (chance(0.5)) files[`${base}${dir}/${name}/c/d.yml`] = `winner: "${dir} ${name}/c/d.yml"\n`;
      if (chance(0.5)) files[`${base}${dir}/${name}.yml`] = `winner: "never: ${name}.yml beside ${name}/"\n`;
    } else {
      const v = vars(`${name}${form}`);
      files[`${base}${dir}/${name}${form}`] = form === '.json' ? JSON.stringify(v) : Object.entries(v).map(([k, x]) => `${k}: ${JSON.stringify(x)}`).join('\n') + '\n';
    }
  };
  ['all', ...groups].forEach((g, i) => chance(0.6) && varsFile('group_vars', g, i));
  hosts.forEach((h, i) => chance(0.4) && varsFile('host_vars', h, 100 + i));

  return { files, source: directory ? 'inv' : ini ? 'hosts' : 'hosts.yml', limits: [pick(groups), `${pick(groups)}:&${pick(groups)}`, `!${pick(groups)}`, `${pick(hosts)}:${pick(hosts)}`] };
}
