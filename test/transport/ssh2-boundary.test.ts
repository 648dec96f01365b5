// ssh2 is reached through one file only (src/transport/ssh.ts): the rest of the transport works on
// plain data, so a change of SSH library, or of what ssh2 accepts (a verifier that returns a
// Promise is taken as "accept"), is one file to read. Any import, dynamic import or require of
// ssh2 (or of a file inside it) elsewhere in src/ breaks that.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

// a module specifier naming ssh2 or a path inside it, in any quotes
const NAMES_SSH2 = /['"`]ssh2(\/[^'"`]*)?['"`]/;

test('only src/transport/ssh.ts names the ssh2 package', () => {
  const naming = sourceFiles(join(root, 'src'))
    .filter((file) => NAMES_SSH2.test(readFileSync(file, 'utf8')))
    .map((file) => relative(root, file));
  expect(naming).toEqual(['src/transport/ssh.ts']);
});
