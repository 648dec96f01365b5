// What one run of the collection script brought back, split into its sections.

export type ByteOrder = 'little' | 'big';

/** One section of the script's output: the raw bytes of one file (or one command), decoded as UTF-8. */
export interface CaptureSection {
  /** e.g. `net.tcp`, `fdlinks`, `proc.cmdline`, `meta.hostname` */
  name: string;
  /** the section's argument: a netns inode for `net.*`, a pid for `proc.*`, else '' */
  arg: string;
  /**
   * `ok`: read; `absent`: the file does not exist (a fact, not an error); `gone`: the process it was
   * read through (a namespace's reader) exited first (normal on a busy host); `error`: reading it failed
   */
  status: 'ok' | 'absent' | 'gone' | 'error';
  text: string;
}

export interface RawCapture {
  sections: CaptureSection[];
  /** false when the end marker never came (byte cap, deadline, dropped connection) */
  complete: boolean;
  /** bytes received */
  bytes: number;
}
