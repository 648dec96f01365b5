// A Match line's criteria, evaluated for one host as readconf.c match_cfg_line() does in OpenSSH
// 9.2, so that a block applies here exactly when it would apply to `ssh`. Pure: nothing is run and
// no name is looked up.
//
// - `canonical` / `final`: false on the first pass, true on the final one; a `final` anywhere asks
//   for that final pass (resolve.ts).
// - `host` is the HostName collected so far (tokens expanded), else the host as typed.
// - `exec` is never run: a warning, and the block does not apply. Criteria newer than 9.2
//   (localnetwork, tagged, command, version, sessiontype) likewise; unknown criteria are parse errors.
import { matchHostname, matchPatternList } from '../match.js';
import { where, type ResolvePass } from './collected-options.js';
import { expandHostname } from './expand.js';
import type { At, MatchCriterion } from './types.js';

/**
 * Whether the block applies. `criteria` null: a Match line that failed to parse (never applies).
 * `neverMatch`: the line is read "parse only" (inside an inactive Include), so it says nothing.
 */
export function evaluateMatch(criteria: MatchCriterion[] | null, at: At, pass: ResolvePass, neverMatch: boolean): boolean {
  if (criteria === null) return false;
  const { target, options } = pass;
  let result = true;
  for (const c of criteria) {
    let r: boolean;
    switch (c.kind) {
      case 'all':
        return result ? !c.negate : false;
      case 'canonical':
      case 'final':
        if (c.kind === 'final') pass.wantFinal = true;
        r = pass.final;
        break;
      case 'host': {
        let host: string;
        if (pass.final) host = options.hostname!.value;
        else if (options.hostname) {
          try {
            host = expandHostname(options.hostname.value, target.host);
          } catch (e) {
            pass.errors.push(`${where(options.hostname.at)}: HostName: ${(e as Error).message}`);
            return false;
          }
        } else host = target.host;
        r = matchHostname(host, c.patterns) === 1;
        break;
      }
      case 'originalhost':
        r = matchHostname(target.host, c.patterns) === 1;
        break;
      case 'user':
        r = matchPatternList(options.user?.value ?? target.localUser, c.patterns, false) === 1;
        break;
      case 'localuser':
        r = matchPatternList(target.localUser, c.patterns, false) === 1;
        break;
      case 'exec':
        // OpenSSH skips the command once an earlier criterion failed; it would run it here.
        if (result && !neverMatch) {
          pass.warnings.push(`${where(at)}: Match exec is never run by fleetstat ("${c.command}"): the block does not apply`);
        }
        result = false;
        continue;
      case 'newer':
        if (result && !neverMatch) {
          pass.warnings.push(`${where(at)}: Match ${c.name} is not supported (newer than OpenSSH 9.2): the block does not apply`);
        }
        result = false;
        continue;
    }
    if (r === c.negate) result = false;
  }
  return result;
}
