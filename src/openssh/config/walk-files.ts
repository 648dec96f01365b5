// One pass over the loaded configuration files for one host, line by line as readconf.c
// read_config_file_depth() walks them: Host and Match lines switch blocks on and off, Includes are
// entered where they stand, and the active option lines are collected (first value wins). Pure: the
// loader has already read every file and expanded every Include.
import { matchPattern, matchPatternList } from '../match.js';
import { applyOption, where, type ResolvePass } from './collected-options.js';
import { evaluateMatch } from './match-criteria.js';
import type { ConfigFile } from './types.js';

/** Reads the files in order, each starting in an active block (as each top-level file does in ssh). */
export function walkConfigFiles(files: readonly ConfigFile[], pass: ResolvePass): void {
  for (const f of files) walkFile(f, pass, { value: true }, false);
}

/** `active` is shared with the includer; `neverMatch`: read "parse only" (an Include in an inactive block). */
function walkFile(file: ConfigFile, pass: ResolvePass, active: { value: boolean }, neverMatch: boolean): void {
  for (const d of file.directives) {
    switch (d.kind) {
      case 'host':
        active.value = false;
        if (neverMatch) break;
        for (const p of d.patterns) {
          const negated = p.startsWith('!');
          if (matchPattern(pass.hostForHostLines, negated ? p.slice(1) : p)) {
            if (negated) {
              active.value = false;
              break;
            }
            active.value = true;
          }
        }
        break;
      case 'match': {
        const r = evaluateMatch(d.criteria, d, pass, neverMatch);
        active.value = neverMatch ? false : r;
        break;
      }
      case 'include': {
        // readconf.c: an Include in an inactive block is read "parse only"; each included file
        // starts with the includer's state, and its Host/Match lines do not leak back out
        const before = active.value;
        for (const f of d.included ?? []) {
          walkFile(f, pass, active, neverMatch || !before);
          active.value = before;
        }
        break;
      }
      case 'option':
        if (active.value) applyOption(d.option, d, file.userConfig, pass);
        break;
      case 'unknown': {
        // readconf.c parse_token(): wherever it is, unless IgnoreUnknown (as set so far) names it
        const ignoring = pass.options.read.get('ignoreunknown')?.value;
        if (ignoring === undefined || matchPatternList(d.keyword, ignoring, true) !== 1) {
          pass.errors.push(`${where(d)}: Bad configuration option: ${d.keyword}`);
        }
        break;
      }
    }
  }
}
