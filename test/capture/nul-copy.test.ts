// Where grep has no -z, the script copies a cmdline without a fork where the shell can (bash,
// busybox ash: `read -d ''`), and with one `cat` per pid where it cannot (dash). The copy must be the file's bytes exactly: NULs
// where they were, empty strings, no final NUL, every other byte value, long strings; and a file it
// cannot open must fail, as cat would (the section then says `error`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeIf } from '../helpers/requirements.js';
import { LOCAL_SHELLS_NEED, SYSTEM_PATH } from './local-collect.js';

const script = readFileSync(new URL('../../src/capture/collect.sh', import.meta.url), 'utf8');
// from nul_copy's definition to the end of the function that picks the copier
const definitions = /^nul_copy\(\) \{[\s\S]*?^pick_cmdline_copier\(\) \{[\s\S]*?^\}$/m.exec(script)?.[0];

const everyByte = Buffer.from(Array.from({ length: 255 }, (_, i) => i + 1));
const samples: Record<string, Buffer> = {
  'no final NUL': Buffer.from('sh\0-c\0\0a\nb\0x\\y\0 \t%s\\0\0retitled with no NUL'),
  'a final NUL': Buffer.from('sleep\x00100000\x00'),
  empty: Buffer.alloc(0),
  'NULs only': Buffer.from('\0\0\0'),
  'every byte value but NUL': Buffer.concat([everyByte, Buffer.from([0]), everyByte]),
  'a 300 KiB string': Buffer.concat([Buffer.alloc(300 * 1024, 'a'), Buffer.from('\0b')]),
};

describeIf(LOCAL_SHELLS_NEED, 'copying a cmdline', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetstat-nul-copy-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** `$copy_cmdline FILE` after the script's own definitions and check, under `shell`. */
  const copy = (shell: string[], file: string) =>
    spawnSync(shell[0]!, [...shell.slice(1), '-c', `${definitions}\npick_cmdline_copier; printf '%s\\n' "$copy_cmdline"; $copy_cmdline "$1"`, 'copy', file], {
      env: { PATH: SYSTEM_PATH, LC_ALL: 'C' },
    });

  test('the script has the definitions', () => expect(definitions).toBeDefined());

  test.each([
    ['bash', ['bash'], 'nul_copy'],
    ['busybox sh', ['busybox', 'sh'], 'nul_copy'],
    ['dash', ['dash'], 'cat'],
  ])('%s copies every sample exactly', (_, shell, copier) => {
    for (const [name, bytes] of Object.entries(samples)) {
      const file = join(dir, name.replace(/ /g, '-'));
      writeFileSync(file, bytes);
      const run = copy(shell, file);
      expect([name, run.status]).toEqual([name, 0]);
      expect(run.stdout.subarray(0, copier.length + 1).toString()).toBe(`${copier}\n`);
      expect([name, run.stdout.subarray(copier.length + 1).toString('hex')]).toEqual([name, bytes.toString('hex')]);
    }
  });

  test.each([['bash', ['bash']], ['busybox sh', ['busybox', 'sh']], ['dash', ['dash']]])('%s: a file that cannot be opened fails', (_, shell) => {
    const run = copy(shell, join(dir, 'not-there'));
    expect(run.status).not.toBe(0);
  });
});
