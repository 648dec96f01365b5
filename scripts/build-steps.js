// Build steps around tsc: `clean` empties dist/ first (a stale dist/commands/X.js would still be a
// command), `assets` copies the files modules read beside themselves at run time (tsc copies only .ts).
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ASSETS = ['capture/collect.sh'];
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

if (process.argv[2] === 'clean') {
  rmSync(dist, { recursive: true, force: true });
} else {
  for (const asset of ASSETS) {
    const to = `${dist}${asset}`;
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(fileURLToPath(new URL(`../src/${asset}`, import.meta.url)), to);
  }
}
