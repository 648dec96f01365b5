// One ssh_config file's text into directives, and every line OpenSSH would refuse as an issue. Pure.
import { asciiLower, matchPatternList } from '../match.js';
import { skipWs, splitArguments, strdelim, WHITESPACE } from './lexer.js';
import { parseFlag, parsePort, parseProxyJump, parseStrict, parseTime } from './values.js';
import { KEYWORDS } from './keywords.js';
import type { At, ConfigFile, LoadedConfig, MatchCriterion, ReadKeyword, SshConfigDirective, SshConfigIssue, SshConfigIssueKind, SshOption } from './types.js';

const MAX_HOSTS_FILES = 32; // SSH_MAX_HOSTS_FILES
const NEWER_MATCH_CRITERIA = new Set(['localnetwork', 'tagged', 'command', 'version', 'sessiontype']);


interface LineContext {
  file: string;
  line: number;
  keyword: string;
  issues: SshConfigIssue[];
  /** what OpenSSH says and goes on (an unsupported keyword) */
  warnings: string[];
}

function issue(ctx: LineContext, kind: SshConfigIssueKind, message: string): void {
  ctx.issues.push({ kind, file: ctx.file, line: ctx.line, field: ctx.keyword, message });
}

/** OpenSSH 9.2's Match criteria: null after an issue. */
function parseMatch(rest: string, ctx: LineContext): MatchCriterion[] | null {
  const criteria: MatchCriterion[] = [];
  let cp: string | null = rest;
  let attributes = 0;
  for (;;) {
    const next = strdelim(cp);
    const attrib = next.token;
    cp = next.rest;
    if (attrib === null || attrib === '') break;
    if (attrib.startsWith('#')) {
      cp = null;
      break;
    }
    const negate = attrib.startsWith('!');
    const name = (negate ? attrib.slice(1) : attrib).toLowerCase();
    if (name === 'all') {
      const arg = strdelim(cp);
      if (attributes > 1 || (arg.token !== null && arg.token !== '' && !arg.token.startsWith('#'))) {
        issue(ctx, 'bad-match', `'${attrib}' cannot be combined with other Match attributes`);
        return null;
      }
      criteria.push({ kind: 'all', negate });
      return criteria;
    }
    attributes++;
    if (name === 'canonical' || name === 'final') {
      criteria.push({ kind: name, negate });
      continue;
    }
    const arg = strdelim(cp);
    cp = arg.rest;
    if (arg.token === null || arg.token === '' || arg.token.startsWith('#')) {
      issue(ctx, 'bad-match', `missing Match criteria for ${attrib}`);
      return null;
    }
    if (name === 'host' || name === 'originalhost' || name === 'user' || name === 'localuser') {
      criteria.push({ kind: name, negate, patterns: arg.token });
    } else if (name === 'exec') {
      criteria.push({ kind: 'exec', negate, command: arg.token });
    } else if (NEWER_MATCH_CRITERIA.has(name)) {
      criteria.push({ kind: 'newer', name, negate, argument: arg.token });
    } else {
      issue(ctx, 'bad-match', `unsupported Match attribute ${attrib}`);
      return null;
    }
  }
  if (attributes === 0) {
    issue(ctx, 'bad-match', 'one or more attributes required for Match');
    return null;
  }
  return criteria;
}

const SINGLE_STRING = new Set(['hostname', 'user', 'hostkeyalias', 'identityfile', 'identityfile2']);

/** One line of a config file into a directive (or nothing: blank, comment, a keyword we ignore). */
function parseLine(text: string, ctx: Omit<LineContext, 'keyword'>): SshConfigDirective | null {
  const at: At = { file: ctx.file, line: ctx.line };
  const line = text.replace(/[ \t\r\n\f]+$/, '');
  let first = strdelim(line);
  if (first.token === '') first = strdelim(first.rest);
  const word = first.token;
  if (word === null || word === '' || word.startsWith('#')) return null;
  const keyword = asciiLower(word);
  const lc: LineContext = { ...ctx, keyword };
  // a broken Host/Match line still ends the block above it (OpenSSH clears "active" first)
  const brokenBlock = (): SshConfigDirective | null =>
    keyword === 'host' ? { kind: 'host', patterns: [], ...at } : keyword === 'match' ? { kind: 'match', criteria: null, ...at } : null;
  const rest = skipWs(first.rest ?? '');
  if (rest === '') {
    issue(lc, 'missing-argument', `no argument after keyword "${keyword}"`);
    return brokenBlock();
  }
  const args = splitArguments(rest);
  if (args === null) {
    issue(lc, 'bad-quotes', 'invalid quotes');
    return brokenBlock();
  }
  const spec = KEYWORDS.get(keyword);
  // whether it is an error depends on IgnoreUnknown as it stands when the line is read (resolve.ts)
  if (spec === undefined) return { kind: 'unknown', keyword, ...at };
  if (spec.role !== 'parsed') {
    const checked = spec.check(args, rest);
    if (!checked.ok) {
      issue(lc, checked.kind, `keyword ${keyword}: ${checked.message}`);
      return null;
    }
    if (spec.role === 'unsupported') ctx.warnings.push(`${ctx.file}:${ctx.line}: Unsupported option "${keyword}" (OpenSSH ignores it too)`);
    if (spec.role !== 'read') return null;
    return { kind: 'option', option: { keyword: (spec.slot ?? keyword) as ReadKeyword, value: checked.value }, ...at };
  }
  const one = (): string | null => {
    const a = args[0];
    if (a === undefined || a === '') {
      issue(lc, 'missing-argument', 'missing argument');
      return null;
    }
    if (args.length > 1) {
      issue(lc, 'extra-arguments', `keyword ${keyword} extra arguments at end of line`);
      return null;
    }
    return a;
  };
  const option = (o: SshOption): SshConfigDirective => ({ kind: 'option', option: o, ...at });

  switch (keyword) {
    case 'host': {
      if (args.some((a) => a === '')) {
        issue(lc, 'missing-argument', 'keyword host empty argument');
        return { kind: 'host', patterns: [], ...at };
      }
      return { kind: 'host', patterns: args, ...at };
    }
    case 'match':
      return { kind: 'match', criteria: parseMatch(rest, lc), ...at };
    case 'include': {
      if (args.length === 0 || args.some((a) => a === '')) {
        issue(lc, 'missing-argument', 'keyword include empty argument');
        return null;
      }
      return { kind: 'include', patterns: args, ...at };
    }
    case 'port': {
      const a = one();
      if (a === null) return null;
      const port = parsePort(a);
      if (port === null) {
        issue(lc, 'bad-value', `bad port '${a}'`);
        return null;
      }
      return option({ keyword: 'port', value: port });
    }
    case 'identitiesonly': {
      const a = one();
      if (a === null) return null;
      const v = parseFlag(a);
      if (v === null) {
        issue(lc, 'bad-value', `unsupported option "${a}"`);
        return null;
      }
      return option({ keyword: 'identitiesonly', value: v });
    }
    case 'stricthostkeychecking': {
      const a = one();
      if (a === null) return null;
      const v = parseStrict(a);
      if (v === null) {
        issue(lc, 'bad-value', `unsupported option "${a}"`);
        return null;
      }
      return option({ keyword: 'stricthostkeychecking', value: v });
    }
    case 'canonicalizehostname': {
      const a = one();
      if (a === null) return null;
      const flag = parseFlag(a);
      const v = flag === true ? 'yes' : flag === false ? 'no' : a.toLowerCase() === 'always' ? 'always' : null;
      if (v === null) {
        issue(lc, 'bad-value', `unsupported option "${a}"`);
        return null;
      }
      return option({ keyword: 'canonicalizehostname', value: v });
    }
    case 'connecttimeout':
    case 'serveraliveinterval': {
      const a = one();
      if (a === null) return null;
      if (a === 'none') return option({ keyword, value: null });
      const t = parseTime(a);
      if (t === null) {
        issue(lc, 'bad-value', `invalid time value '${a}'`);
        return null;
      }
      return option({ keyword, value: t });
    }
    case 'serveralivecountmax': {
      const a = one();
      if (a === null) return null;
      if (!/^[ \t]*\+?\d+$/.test(a) || Number(a) > 2147483647) {
        issue(lc, 'bad-value', `integer value '${a}' invalid`);
        return null;
      }
      return option({ keyword, value: Number(a) });
    }
    case 'userknownhostsfile':
    case 'globalknownhostsfile': {
      if (args.length === 0) {
        issue(lc, 'missing-argument', 'missing argument');
        return null;
      }
      if (args.some((a) => a === '')) {
        issue(lc, 'missing-argument', `keyword ${keyword} empty argument`);
        return null;
      }
      if (args.length > 1 && args.some((a) => a.toLowerCase() === 'none')) {
        issue(lc, 'bad-value', `keyword ${keyword} "none" argument must appear alone`);
        return null;
      }
      if (args.length > MAX_HOSTS_FILES) {
        issue(lc, 'bad-value', `too many ${keyword} entries`);
        return null;
      }
      return option({ keyword, value: args });
    }
    case 'proxycommand': {
      const raw = skipWs(rest, WHITESPACE + '=');
      if (raw === '') {
        issue(lc, 'missing-argument', 'missing argument');
        return null;
      }
      return option({ keyword: 'proxycommand', value: raw });
    }
    case 'proxyjump': {
      const raw = skipWs(rest, WHITESPACE + '=');
      const v = parseProxyJump(raw);
      if (v === null) {
        issue(lc, 'bad-value', `invalid ProxyJump "${raw}"`);
        return null;
      }
      return option({ keyword: 'proxyjump', value: v });
    }
    default: {
      // hostname, user, hostkeyalias, identityfile(2)
      if (!SINGLE_STRING.has(keyword)) return null;
      const a = one();
      if (a === null) return null;
      const k = keyword === 'identityfile2' ? 'identityfile' : (keyword as 'hostname' | 'user' | 'hostkeyalias' | 'identityfile');
      return option({ keyword: k, value: a });
    }
  }
}

/** One config file's text into directives, the issues OpenSSH would refuse it for, and its notes. */
export function parseSshConfig(text: string, file: string): { directives: SshConfigDirective[]; issues: SshConfigIssue[]; warnings: string[] } {
  const directives: SshConfigDirective[] = [];
  const issues: SshConfigIssue[] = [];
  const warnings: string[] = [];
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((l, i) => {
    const d = parseLine(l, { file, line: i + 1, issues, warnings });
    if (d) directives.push(d);
  });
  return { directives, issues, warnings };
}

/**
 * Unknown keywords that no IgnoreUnknown line read before them could excuse (in any block): refused
 * whatever the host, as `ssh -G` refuses them ("Bad configuration option"). The others are judged
 * per host when resolved, against the IgnoreUnknown that applies to that host.
 */
export function unknownKeywordIssues(files: readonly ConfigFile[]): SshConfigIssue[] {
  const ignoring: string[] = [];
  const issues: SshConfigIssue[] = [];
  const walk = (fs: readonly ConfigFile[]): void => {
    for (const f of fs) {
      for (const d of f.directives) {
        if (d.kind === 'option' && d.option.keyword === 'ignoreunknown') ignoring.push(d.option.value);
        else if (d.kind === 'include') walk(d.included ?? []);
        else if (d.kind === 'unknown' && !ignoring.some((patterns) => matchPatternList(d.keyword, patterns, true) === 1)) {
          issues.push({ kind: 'unknown-keyword', file: d.file, line: d.line, field: d.keyword, message: `Bad configuration option: ${d.keyword}` });
        }
      }
    }
  };
  walk(files);
  return issues;
}

/** A LoadedConfig from texts already in memory (no Include expansion): for callers and tests without files. */
export function configFromText(text: string, file: string, userConfig = true): LoadedConfig {
  const { directives, issues, warnings } = parseSshConfig(text, file);
  const files = [{ path: file, userConfig, directives }];
  return { files, issues: [...issues, ...unknownKeywordIssues(files)], warnings };
}
