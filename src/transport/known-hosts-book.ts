// known_hosts as one scan sees it: each file read once, and every line accept-new appends is known
// at once to every later host of the run (the same HostKeyAlias, the same address): one decision per
// known_hosts name, never two lines for it, never two different keys recorded for it in one run.
import { resolve } from 'node:path';
import { parseKnownHosts, readKnownHostsFile, type EntryRef, type KnownHostEntry } from '../openssh/known-hosts/index.js';

interface FileState {
  entries: KnownHostEntry[];
  lines: number;
  /** lines appended by this run (by line number), with their write */
  appended: Map<number, Promise<void>>;
}

/** The entries of one host's known_hosts files, as they stand when it is asked (what this run appended included). */
export interface KnownHostsView {
  entries(): KnownHostEntry[];
  /** the write of a line this run appended, if `at` is one */
  appended(at: EntryRef): Promise<void> | undefined;
  /**
   * Records a line in `file` (one of the view's files) now: later views see it at once, and the
   * returned write is the one every host accepting this key waits for.
   */
  record(file: string, line: string): Promise<void>;
}

export class KnownHostsBook {
  private readonly files = new Map<string, Promise<FileState>>();

  constructor(
    private readonly append: (file: string, line: string) => Promise<void>,
    private readonly warn: (message: string) => void,
  ) {}

  async view(paths: readonly string[]): Promise<KnownHostsView> {
    const states = await Promise.all(paths.map((p) => this.state(p)));
    const stateOf = (file: string): FileState | undefined => states[paths.indexOf(file)];
    return {
      entries: () => states.flatMap((s) => s.entries),
      appended: (at) => stateOf(at.file)?.appended.get(at.line),
      record: (file, line) => {
        const state = stateOf(file);
        if (!state) return Promise.reject(new Error(`${file} is not one of this host's known_hosts files`));
        const number = state.lines + 1;
        const entry = parseKnownHosts(line, file).entries[0];
        if (!entry) return Promise.reject(new Error(`not a known_hosts line: ${JSON.stringify(line.slice(0, 80))}`));
        state.lines = number;
        state.entries.push({ ...entry, line: number });
        const written = this.append(file, line);
        state.appended.set(number, written);
        // a line that could not be written is not known after all
        written.catch(() => {
          state.entries = state.entries.filter((e) => e.line !== number);
          state.appended.delete(number);
        });
        return written;
      },
    };
  }

  private state(path: string): Promise<FileState> {
    const key = resolve(path);
    let state = this.files.get(key);
    if (!state) {
      state = readKnownHostsFile(path).then(({ entries, issues, lines }) => {
        for (const issue of issues) this.warn(`${issue.file}:${issue.line}: ${issue.message}`);
        return { entries, lines, appended: new Map() };
      });
      this.files.set(key, state);
    }
    return state;
  }
}
