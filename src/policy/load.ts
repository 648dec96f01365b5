// Reads a policy file (`fleetstat/policy@1`): YAML 1.2 (so `yes` is a string and 2027-03-31 a date
// string, never a timestamp), every position kept. Strict, as a policy should be: an unknown key, a
// duplicate key, a wrong type or a bad port is an error naming FILE:LINE:COL and the key, never
// ignored (a misspelt `forbiden:` would otherwise forbid nothing). Pure: the command reads the file.
import { isIP } from 'node:net';
import {
  isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument,
  type Document, type Node, type Pair,
} from 'yaml';
import { editDistance } from '../cli/usage.js';
import type { Severity, SourceLocation } from '../model/finding.js';
import { PolicyError, type PolicyErrorKind } from './errors.js';
import { isCalendarDate } from './match.js';
import type { BindMatch, EntryKind, ListenerMatch, Policy, PolicyEntry, PolicyProto, PolicyWaiver, PortRange } from './policy.js';

export const POLICY_SCHEMA = 'fleetstat/policy@1';
/** The rule ids of the policy's own findings (a waiver may name them as it names built-in rules). */
export const POLICY_RULE_IDS = ['policy.forbidden', 'policy.required', 'policy.unlisted'] as const;
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
const PROTOS: readonly PolicyProto[] = ['tcp', 'udp', 'raw', 'unix'];
const SCOPES = ['all', 'loopback', 'address'] as const;
/** The kernel keeps a process name (comm) to 15 bytes: a longer name written without a glob never matches. */
const COMM_MAX_BYTES = 15;

const TOP_KEYS = ['schema', 'unlisted', 'groups', 'waivers'];
const GROUP_KEYS: readonly EntryKind[] = ['allowed', 'required', 'forbidden'];
const ALLOWED_KEYS = ['proto', 'port', 'path', 'bind', 'process', 'user', 'reason'];
const ENTRY_KEYS: Record<EntryKind, readonly string[]> = {
  allowed: ALLOWED_KEYS,
  required: [...ALLOWED_KEYS, 'severity'],
  forbidden: [...ALLOWED_KEYS, 'severity'],
};
const WAIVER_KEYS = ['rule', 'hosts', 'proto', 'port', 'process', 'justification', 'expiration_date', 'run'];

type Fields = Map<string, { key: Node; value: Node | null }>;

/**
 * The policy in `text` (read from `file`, named in errors). `knownRuleIds`: the built-in rules'
 * ids; a waiver naming any other rule (but policy.forbidden, policy.required, policy.unlisted) is an
 * error. Throws PolicyError.
 */
export function loadPolicy(text: string, file: string, knownRuleIds: ReadonlySet<string>): Policy {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, version: '1.2' });
  const reader = new PolicyReader(doc, lines, file);
  const syntax = doc.errors[0];
  if (syntax) reader.failAt(syntax.pos[0], '', `YAML syntax error: ${syntax.message.split('\n')[0]}`, 'yaml-syntax');
  return reader.policy(new Set([...knownRuleIds, ...POLICY_RULE_IDS]));
}

class PolicyReader {
  constructor(private readonly doc: Document, private readonly lines: LineCounter, readonly file: string) {}

  policy(rules: ReadonlySet<string>): Policy {
    const root = this.deref(this.doc.contents as Node | null);
    if (!isMap(root)) this.fail(root, '', `a policy is a mapping that starts with schema: ${POLICY_SCHEMA}`, 'wrong-type');
    const top = this.fields(root, '', TOP_KEYS);
    const schema = top.get('schema');
    if (!schema) this.fail(root, 'schema', `missing: a policy starts with schema: ${POLICY_SCHEMA}`, 'missing-key');
    if (this.string(schema.value, 'schema') !== POLICY_SCHEMA) this.fail(schema.value, 'schema', `must be ${POLICY_SCHEMA}`, 'bad-value');
    const unlisted = top.get('unlisted');
    const policy: Policy = {
      file: this.file,
      unlisted: unlisted ? { severity: this.severity(unlisted.value, 'unlisted'), location: this.at(unlisted.key) } : null,
      entries: [],
      groups: [],
      waivers: [],
    };
    const groups = top.get('groups');
    if (groups) {
      for (const [name, group] of this.fields(this.mapping(groups.value, 'groups'), 'groups', null)) {
        policy.groups.push(name);
        const path = `groups.${name}`;
        for (const [kind, list] of this.fields(this.mapping(group.value, path), path, GROUP_KEYS)) {
          this.items(list.value, `${path}.${kind}`).forEach((item, index) => {
            policy.entries.push(this.entry(item, `${path}.${kind}[${index}]`, kind as EntryKind, name, index));
          });
        }
      }
    }
    const waivers = top.get('waivers');
    if (waivers) {
      policy.waivers = this.items(waivers.value, 'waivers').map((item, index) => this.waiver(item, `waivers[${index}]`, index, rules));
    }
    return policy;
  }

  private entry(node: Node | null, path: string, kind: EntryKind, group: string, index: number): PolicyEntry {
    const fields = this.fields(this.mapping(node, path), path, ENTRY_KEYS[kind]);
    const match = this.listenerMatch(node!, fields, path);
    if (kind === 'required') this.requireOne(node!, fields, match, path);
    const severity = fields.get('severity');
    const reason = fields.get('reason');
    return {
      kind,
      group,
      index,
      ...match,
      severity: kind === 'allowed' ? null : severity ? this.severity(severity.value, `${path}.severity`) : 'high',
      reason: reason ? this.string(reason.value, `${path}.reason`) : null,
      location: this.at(node),
    };
  }

  /** proto (required), port or path, bind, process, user: what an entry says of a listener. */
  private listenerMatch(node: Node, fields: Fields, path: string): ListenerMatch {
    const proto = fields.get('proto');
    if (!proto) this.fail(node, `${path}.proto`, `missing: one of ${PROTOS.join(', ')}, or a list of them`, 'missing-key');
    const protos = this.protos(proto.value, `${path}.proto`);
    const unix = protos.includes('unix');
    if (unix && protos.length > 1) this.fail(proto.value, `${path}.proto`, 'unix goes in an entry of its own (unix sockets have paths, not ports)', 'bad-value');
    const notFor = (key: string, why: string) => {
      const f = fields.get(key);
      if (f) this.fail(f.key, `${path}.${key}`, why, 'bad-value');
    };
    if (unix) {
      notFor('port', 'unix sockets have no port: match them by path');
      notFor('bind', 'unix sockets have no bind address: match them by path');
    } else {
      notFor('path', 'path goes with proto: unix only');
    }
    const port = fields.get('port');
    const pathField = fields.get('path');
    const bind = fields.get('bind');
    const process = fields.get('process');
    const user = fields.get('user');
    const onlyRaw = protos.every((p) => p === 'raw');
    return {
      protos,
      ports: port ? this.ports(port.value, `${path}.port`, onlyRaw) : null,
      paths: pathField ? this.strings(pathField.value, `${path}.path`) : null,
      bind: bind ? this.binds(bind.value, `${path}.bind`) : null,
      processes: process ? this.processes(process.value, `${path}.process`) : null,
      users: user ? this.strings(user.value, `${path}.user`) : null,
    };
  }

  /** A required entry names one listener: one port (or, for unix, one path), so "missing" says which. */
  private requireOne(node: Node, fields: Fields, match: ListenerMatch, path: string): void {
    const unix = match.protos.includes('unix');
    const key = unix ? 'path' : 'port';
    const field = fields.get(key);
    if (!field) this.fail(node, `${path}.${key}`, `missing: a required entry names one ${key}`, 'missing-key');
    const one = unix ? match.paths!.length === 1 : match.ports!.length === 1 && match.ports![0]!.low === match.ports![0]!.high;
    if (!one) this.fail(field.value, `${path}.${key}`, `a required entry names one ${key} (write one entry per required ${key})`, 'bad-value');
  }

  private waiver(node: Node | null, path: string, index: number, rules: ReadonlySet<string>): PolicyWaiver {
    const fields = this.fields(this.mapping(node, path), path, WAIVER_KEYS);
    const rule = fields.get('rule');
    if (!rule) this.fail(node, `${path}.rule`, 'missing: the id of the rule it waives (FS001 …, policy.forbidden, policy.required, policy.unlisted)', 'missing-key');
    const ruleId = this.string(rule.value, `${path}.rule`);
    if (!rules.has(ruleId)) {
      const near = nearest(ruleId, [...rules]);
      this.fail(rule.value, `${path}.rule`, `unknown rule ${JSON.stringify(ruleId)}${near ? ` (did you mean ${near}?)` : ''}`, 'unknown-rule');
    }
    const justification = fields.get('justification');
    if (!justification) this.fail(node, `${path}.justification`, 'missing: a waiver says why (and who signed it off)', 'missing-key');
    const hosts = fields.get('hosts');
    const proto = fields.get('proto');
    const port = fields.get('port');
    const process = fields.get('process');
    const expiry = fields.get('expiration_date');
    const run = fields.get('run');
    const protos = proto ? this.protos(proto.value, `${path}.proto`) : null;
    return {
      rule: ruleId,
      hosts: hosts ? this.strings(hosts.value, `${path}.hosts`) : null,
      protos,
      ports: port ? this.ports(port.value, `${path}.port`, protos !== null && protos.every((p) => p === 'raw')) : null,
      processes: process ? this.processes(process.value, `${path}.process`) : null,
      justification: this.string(justification.value, `${path}.justification`),
      expirationDate: expiry ? this.date(expiry.value, `${path}.expiration_date`) : null,
      run: run ? this.yesNo(run.value, `${path}.run`) : true,
      index,
      location: this.at(node),
    };
  }

  // ---- values ----

  private severity(node: Node | null, path: string): Severity {
    const s = this.string(node, path);
    if (!(SEVERITIES as readonly string[]).includes(s)) this.fail(node, path, `${JSON.stringify(s)} is no severity (${SEVERITIES.join(', ')})`, 'bad-value');
    return s as Severity;
  }

  private protos(node: Node | null, path: string): PolicyProto[] {
    return this.list(node, path, (item, at) => {
      const p = this.string(item, at);
      if ((PROTOS as readonly string[]).includes(p)) return p as PolicyProto;
      const family = /^(tcp|udp|raw)[46]$/.exec(p);
      const why = family ? `families are folded: write ${family[1]} (and bind: to say which addresses)` : `must be one of ${PROTOS.join(', ')}`;
      return this.fail(item, at, `${JSON.stringify(p)}: ${why}`, 'bad-value');
    });
  }

  private ports(node: Node | null, path: string, onlyRaw: boolean): PortRange[] {
    const max = onlyRaw ? 255 : 65535;
    const what = onlyRaw ? 'an IP protocol number' : 'a port';
    const port = (n: number, item: Node, at: string): number => {
      if (n < 1 || n > max) this.fail(item, at, `${n} is not ${what} (1-${max})`, 'bad-value');
      return n;
    };
    return this.list(node, path, (item, at) => {
      const v = isScalar(item) ? item.value : undefined;
      if (typeof v === 'number') {
        if (!Number.isInteger(v)) this.fail(item, at, `${v} is not a whole number`, 'wrong-type');
        return { low: port(v, item!, at), high: v };
      }
      const range = typeof v === 'string' ? /^(\d{1,5})-(\d{1,5})$/.exec(v) : null;
      if (!range) return this.fail(item, at, `must be ${what}, a list of them, or a range A-B (8000-8099)`, 'wrong-type');
      const low = port(Number(range[1]), item!, at);
      const high = port(Number(range[2]), item!, at);
      if (low > high) this.fail(item, at, `range ${v} runs backwards (write ${high}-${low})`, 'bad-value');
      return { low, high };
    });
  }

  private binds(node: Node | null, path: string): BindMatch[] {
    return this.list(node, path, (item, at) => {
      const s = this.string(item, at);
      if ((SCOPES as readonly string[]).includes(s)) return { scope: s as (typeof SCOPES)[number] };
      const address = canonicalAddress(s);
      if (address === null) this.fail(item, at, `${JSON.stringify(s)} is neither all, loopback, address nor an IP address`, 'bad-value');
      return { address };
    });
  }

  private processes(node: Node | null, path: string): string[] {
    return this.list(node, path, (item, at) => {
      const name = this.string(item, at);
      if (!/[*?]/.test(name) && Buffer.byteLength(name) > COMM_MAX_BYTES) {
        const cut = Buffer.from(name).subarray(0, COMM_MAX_BYTES).toString();
        this.fail(item, at, `${JSON.stringify(name)} can never match: the kernel keeps ${COMM_MAX_BYTES} bytes of a process name (write ${cut}*)`, 'bad-value');
      }
      return name;
    });
  }

  private strings(node: Node | null, path: string): string[] {
    return this.list(node, path, (item, at) => this.string(item, at));
  }

  private date(node: Node | null, path: string): string {
    const s = this.string(node, path);
    if (!isCalendarDate(s)) this.fail(node, path, `${JSON.stringify(s)} is not a date (YYYY-MM-DD)`, 'bad-date');
    return s;
  }

  /** true/false, and InSpec's yes/no. */
  private yesNo(node: Node | null, path: string): boolean {
    const v = isScalar(node) ? node.value : undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'yes' || v === 'no') return v === 'yes';
    return this.fail(node, path, 'must be true or false (yes or no)', 'wrong-type');
  }

  private string(node: Node | null, path: string): string {
    if (!isScalar(node) || typeof node.value !== 'string') this.fail(node, path, `must be a string, not ${describe(node)}`, 'wrong-type');
    if (node.value.trim() === '') this.fail(node, path, 'is empty', 'bad-value');
    return node.value;
  }

  /** One value, or a non-empty list of them (every list key takes either). */
  private list<T>(node: Node | null, path: string, read: (item: Node | null, at: string) => T): T[] {
    if (!isSeq(node)) return [read(node, path)];
    if (node.items.length === 0) this.fail(node, path, 'is an empty list (leave the key out to match anything)', 'bad-value');
    return node.items.map((item, i) => read(this.deref(item as Node), `${path}[${i}]`));
  }

  private items(node: Node | null, path: string): Array<Node | null> {
    if (!isSeq(node)) this.fail(node, path, `must be a list, not ${describe(node)}`, 'wrong-type');
    return node.items.map((item) => this.deref(item as Node));
  }

  private mapping(node: Node | null, path: string): Node {
    if (!isMap(node)) this.fail(node, path, `must be a mapping (key: value), not ${describe(node)}`, 'wrong-type');
    return node;
  }

  /** A mapping's keys and values; `known` null: any key (group names). Unknown and duplicate keys are errors. */
  private fields(node: Node, path: string, known: readonly string[] | null): Fields {
    const out: Fields = new Map();
    if (!isMap(node)) return out;
    for (const pair of node.items as Pair[]) {
      const key = this.deref(pair.key as Node | null);
      const name = isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number') ? String(key.value) : null;
      const at = (k: string) => (path === '' ? k : `${path}.${k}`);
      if (name === null || name === '') this.fail(key ?? node, path, 'a key must be a plain, non-empty string', 'wrong-type');
      if (known && !known.includes(name)) {
        const near = nearest(name, known);
        this.fail(key, at(name), `unknown key${near ? ` (did you mean ${near}?)` : `; expected ${known.join(', ')}`}`, 'unknown-key');
      }
      const twin = out.get(name);
      if (twin) this.fail(key, at(name), `duplicate key (first at line ${this.at(twin.key).line})`, 'duplicate-key');
      out.set(name, { key: key!, value: this.deref(pair.value as Node | null) });
    }
    return out;
  }

  // ---- positions ----

  private deref(node: Node | null | undefined): Node | null {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? null;
    return node;
  }

  at(node: Node | null): SourceLocation {
    const p = this.lines.linePos(node?.range?.[0] ?? 0);
    return { file: this.file, line: p.line, column: p.col };
  }

  fail(node: Node | null, key: string, detail: string, kind: PolicyErrorKind): never {
    const { line, column } = this.at(node);
    throw new PolicyError(this.file, line, column ?? 1, key, detail, kind);
  }

  failAt(offset: number, key: string, detail: string, kind: PolicyErrorKind): never {
    const p = this.lines.linePos(offset);
    throw new PolicyError(this.file, p.line, p.col, key, detail, kind);
  }
}

function describe(node: Node | null): string {
  if (node === null || (isScalar(node) && node.value === null)) return 'nothing';
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a mapping';
  const v = isScalar(node) ? node.value : undefined;
  return typeof v === 'string' ? `the string ${JSON.stringify(v)}` : `${typeof v} ${String(v)}`;
}

/** The known word within two edits (a typo), if one is. */
function nearest(word: string, known: readonly string[]): string | null {
  const best = known.map((k) => ({ k, d: editDistance(word, k) })).filter(({ d }) => d <= 2 && d < word.length).sort((a, b) => a.d - b.d)[0];
  return best?.k ?? null;
}

/** An address as scans write it: IPv4 dotted, IPv6 RFC 5952 (lowercase, compressed); null: not an address. */
function canonicalAddress(text: string): string | null {
  const kind = isIP(text);
  if (kind === 4) return text;
  if (kind !== 6) return null;
  if (text.includes('.')) return text.toLowerCase(); // ::ffff:10.0.0.1: scans keep the dotted tail
  return new URL(`http://[${text}]/`).hostname.slice(1, -1); // the WHATWG serializer is RFC 5952's
}
