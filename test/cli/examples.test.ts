// Every command's --help examples use only flags that command has: an example that fails as written
// is worse than none (seen: `diff … -o drift.csv`, and diff has no -o).
import { readdirSync } from 'node:fs';

const dir = new URL('../../src/commands/', import.meta.url);

interface FlagSpec {
  char?: string;
}
interface CommandClass {
  examples?: string[];
  flags?: Record<string, FlagSpec>;
  enableJsonFlag?: boolean;
}

const commands = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));

test.each(commands)('%s: every flag in its examples is one of its own', async (name) => {
  const command = (await import(new URL(`${name}.ts`, dir).href)).default as CommandClass;
  const flags = command.flags ?? {};
  const long = new Set([...Object.keys(flags), ...(command.enableJsonFlag ? ['json'] : []), 'help']);
  const short = new Set([...Object.values(flags).flatMap((f) => (f.char ? [f.char] : [])), 'h']);
  for (const example of command.examples ?? []) {
    // only the fleetstat invocations' own words (not a jq program or a second command after && or |)
    for (const part of example.split(/&&|\|/).filter((p) => p.includes('<%= config.bin %>'))) {
      for (const word of part.replace(/'[^']*'/g, "''").split(/\s+/)) {
        if (/^--[a-z]/.test(word)) expect({ example, flag: word, known: long.has(word.slice(2).split('=')[0]!) }).toMatchObject({ known: true });
        else if (/^-[a-zA-Z0-9]+$/.test(word)) for (const c of word.slice(1)) expect({ example, flag: `-${c}`, known: short.has(c) }).toMatchObject({ known: true });
      }
    }
  }
});
