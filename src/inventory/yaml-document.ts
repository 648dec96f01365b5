// One YAML or JSON file as Ansible's DataLoader reads it, and the helpers every reader of such a
// file shares (inventory files, the --list JSON, group_vars/host_vars files): positions, errors,
// merge keys, names, values. Read as JSON if it is JSON, else as YAML 1.1 with merge keys
// (`<<: *defaults`), as PyYAML does: `yes`/`no`/`on`/`off` are booleans and `0755` octal. `!vault`
// values stay encrypted (VaultValue) and `!unsafe` text is never a template (UnsafeText), as in
// Ansible. Pure.
import {
  isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument,
  type Document, type Node, type Pair, type Scalar, type ScalarTag, type YAMLMap,
} from 'yaml';
import { InventoryError, type InventoryErrorKind } from './errors.js';
import type { InventoryGraph, SourcePos } from './graph.js';

// PyYAML's YAML 1.1 booleans (the `yaml` package also takes y/n, which PyYAML leaves strings)
const PYYAML_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PYYAML_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;

/** A `!vault` value: Ansible Vault ciphertext, which fleetstat never decrypts. */
export class VaultValue {
  constructor(readonly ciphertext: string) {}
}

/** A `!unsafe` string: Ansible never templates it, so `{{` in it is text. */
export class UnsafeText {
  constructor(readonly text: string) {}
}

const ANSIBLE_TAGS: ScalarTag[] = [
  { tag: '!vault', resolve: (text) => new VaultValue(text), identify: (v) => v instanceof VaultValue },
  { tag: '!unsafe', resolve: (text) => new UnsafeText(text), identify: (v) => v instanceof UnsafeText },
];

/** A file's text as Ansible's DataLoader reads it (JSON first, then YAML 1.1); syntax errors thrown. */
export function parseAnsibleYaml(text: string, file: string): { doc: Document; lines: LineCounter; json: boolean } {
  const lines = new LineCounter();
  const common = { lineCounter: lines, prettyErrors: false, uniqueKeys: false } as const; // duplicates: checked in entries()
  const json = isJson(text);
  const doc = json
    ? parseDocument(text, { ...common, version: '1.2', schema: 'json' })
    : parseDocument(text, {
      ...common,
      version: '1.1',
      merge: true,
      customTags: (tags) => [
        ...(tags as ScalarTag[]).map((tag) => {
          if (tag.tag !== 'tag:yaml.org,2002:bool' || !tag.test) return tag;
          const isTrue = tag.test.test('true');
          return { ...tag, test: isTrue ? PYYAML_TRUE : PYYAML_FALSE };
        }),
        ...ANSIBLE_TAGS,
      ],
    });
  const syntax = doc.errors[0];
  if (syntax) {
    const pos = lines.linePos(syntax.pos[0]);
    throw new InventoryError(file, pos.line, pos.col, `YAML syntax error: ${syntax.message.split('\n')[0]}`, 'yaml-syntax');
  }
  return { doc, lines, json };
}

function isJson(text: string): boolean {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Reading helpers over one parsed document: positions, errors, merge keys, names, values. */
export class YamlDocument {
  constructor(
    protected readonly doc: Document,
    private readonly lines: LineCounter,
    readonly file: string,
    private readonly target: InventoryGraph | null,
  ) {}

  get graph(): InventoryGraph {
    if (!this.target) throw new Error('this reader reads a vars file, not an inventory');
    return this.target;
  }

  pos(node: Node | null | undefined, offset = 0): SourcePos {
    const p = this.lines.linePos(node?.range?.[0] ?? 0);
    return { line: p.line, col: p.col + offset };
  }

  fail(node: Node | null | undefined, detail: string, kind: InventoryErrorKind = 'structure', offset = 0): never {
    const p = this.pos(node, offset);
    throw new InventoryError(this.file, p.line, p.col, detail, kind);
  }

  deref(node: unknown): Node | null {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? null;
    return node as Node;
  }

  isEmpty(node: Node | null): boolean {
    return node === null || (isScalar(node) && node.value === null);
  }

  /**
   * A mapping's entries, merge keys (`<<`) resolved: merged keys first, the map's own keys win.
   * One pass over the pairs (a --list JSON may hold thousands of hosts); a duplicate key is an error.
   */
  entries(map: YAMLMap): Array<{ key: Node; value: Node | null }> {
    const own = new Map<unknown, { key: Node; value: Node | null }>();
    const odd: Array<{ key: Node; value: Node | null }> = []; // keys that are collections: never equal
    const merged = new Map<unknown, { key: Node; value: Node | null }>();
    for (const pair of map.items as Pair[]) {
      const key = pair.key as Node;
      if (isScalar(key) && typeof key.value === 'symbol') {
        // `<<: *a` or `<<: [*a, *b]` (earlier sources win over later ones)
        const source = this.deref(pair.value);
        const sources = isSeq(source) ? (source.items as Node[]).map((n) => this.deref(n)) : [source];
        for (const s of sources) {
          if (!isMap(s)) this.fail(s ?? key, 'a merge key (<<) must refer to a mapping');
          for (const e of this.entries(s)) {
            if (!isScalar(e.key)) odd.push(e);
            else if (!merged.has(e.key.value)) merged.set(e.key.value, e);
          }
        }
        continue;
      }
      const entry = { key, value: this.deref(pair.value) };
      if (!isScalar(key)) {
        odd.push(entry);
        continue;
      }
      const twin = own.get(key.value);
      if (twin) {
        const first = this.pos(twin.key);
        this.fail(key, `duplicate key "${String((key as Scalar).value)}" (first at line ${first.line}; Ansible would keep only this one)`);
      }
      own.set(key.value, entry);
    }
    return [...[...merged.values()].filter((m) => !own.has((m.key as Scalar).value)), ...odd, ...own.values()];
  }

  name(node: Node, what: 'group' | 'host' | 'variable'): string {
    if (!isScalar(node) || typeof node.value !== 'string') {
      const shown = isScalar(node) ? String(node.value) : 'a collection';
      this.fail(node, `${what} name ${shown} must be a string (quote it)`);
    }
    if ((node as Scalar<string>).value === '') this.fail(node, `a ${what} name is empty`);
    return (node as Scalar<string>).value;
  }

  value(node: Node | null): unknown {
    if (node === null) return null;
    return isScalar(node) ? node.value : node.toJS(this.doc);
  }

  /** A variable's value and where it was written (`at`: the value, or its key when it has none). */
  entry(at: Node, value: Node | null): { value: unknown; file: string; at: SourcePos } {
    return { value: this.value(value), file: this.file, at: this.pos(at) };
  }
}
