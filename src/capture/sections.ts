// Reading a capture by the format's names (format.ts). What a section's bytes mean is parse/'s
// business (the sections the script composes itself: parse/script-sections.ts).
import type { CaptureSection, ParseIssue } from '../model/index.js';
import { netTableSection, SECTION, writesSection, type NetTable } from './format.js';

/** Sections by name and argument, with the "missing" and "unreadable" cases turned into issues. */
export class CaptureSections {
  private readonly byKey = new Map<string, CaptureSection>();
  private readonly byName = new Map<string, CaptureSection[]>();

  constructor(
    sections: readonly CaptureSection[],
    private readonly issues: ParseIssue[],
  ) {
    for (const s of sections) {
      const key = `${s.name} ${s.arg}`;
      if (!this.byKey.has(key)) this.byKey.set(key, s);
      const named = this.byName.get(s.name);
      if (named) named.push(s);
      else this.byName.set(s.name, [s]);
    }
  }

  find(name: string, arg = ''): CaptureSection | undefined {
    return this.byKey.get(`${name} ${arg}`);
  }

  all(name: string): CaptureSection[] {
    return this.byName.get(name) ?? [];
  }

  /** Whether this capture's format version writes the section at all (format.ts, SectionSpec.since). */
  writes(name: string): boolean {
    return writesSection(this.text(SECTION.format) ?? '', name);
  }

  /** The text of an `ok` section, else undefined. */
  text(name: string, arg = ''): string | undefined {
    const s = this.find(name, arg);
    return s?.status === 'ok' ? s.text : undefined;
  }

  /** Like text(), but a missing or unreadable section is an issue: the script always writes it. */
  required(name: string, file: string): string | undefined {
    const s = this.find(name);
    if (!s) this.issues.push({ kind: 'missing-section', file, line: 0, message: `the capture has no "${name}" section` });
    else if (s.status !== 'ok') this.issues.push({ kind: 'unreadable', file, line: 0, message: `${file} could not be read` });
    return s?.status === 'ok' ? s.text : undefined;
  }

  /**
   * A /proc/net table of one namespace: absent is a fact (IPv6 off, no such protocol), so is gone (its
   * reader exited while the namespace was read: the namespace's sockets went, or will be read next
   * time); unreadable is an issue.
   */
  table(table: NetTable, netns: string, file: string): string | undefined {
    const name = netTableSection(table);
    const s = this.find(name, netns);
    if (!s) {
      this.issues.push({ kind: 'missing-section', file, line: 0, message: `the capture has no "${name}" section for netns ${netns}` });
      return undefined;
    }
    if (s.status === 'error') this.issues.push({ kind: 'unreadable', file, line: 0, message: `${file} could not be read` });
    return s.status === 'ok' ? s.text : undefined;
  }
}
