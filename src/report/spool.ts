// Temporary files an output keeps on disk instead of in memory: hosts that ended before their turn,
// and the table's rows until its column widths are known. One directory per output, removed with
// everything in it when the output ends or fails.
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export class SpoolDir {
  private dir: Promise<string> | undefined;
  private removed = false;

  constructor(private readonly parent: string = tmpdir()) {}

  /** A new file's path in the directory (made on first use). */
  async file(name: string): Promise<string> {
    if (this.removed) throw new Error('the spool was already removed');
    this.dir ??= mkdtemp(join(this.parent, 'fleetstat-spool-'));
    return join(await this.dir, name);
  }

  /** Removes the directory and its files; safe to call more than once. */
  async remove(): Promise<void> {
    this.removed = true;
    const dir = this.dir;
    this.dir = undefined;
    if (dir) await rm(await dir, { recursive: true, force: true });
  }
}

/** Text records kept by key, each read back once by its key (hosts waiting for their turn). */
export class KeyedSpool {
  private handle: Promise<FileHandle> | undefined;
  private size = 0;
  private readonly where = new Map<number, { offset: number; length: number }>();

  constructor(private readonly dir: SpoolDir, private readonly name: string) {}

  get keys(): number[] {
    return [...this.where.keys()].sort((a, b) => a - b);
  }

  has(key: number): boolean {
    return this.where.has(key);
  }

  async put(key: number, text: string): Promise<void> {
    const bytes = Buffer.from(text, 'utf8');
    const handle = await this.open();
    const offset = this.size;
    this.size += bytes.length;
    this.where.set(key, { offset, length: bytes.length });
    await handle.write(bytes, 0, bytes.length, offset);
  }

  /** The record kept under `key`, forgotten once read. */
  async take(key: number): Promise<string> {
    const at = this.where.get(key);
    if (at === undefined) throw new Error(`no spooled record ${key}`);
    this.where.delete(key);
    const bytes = Buffer.alloc(at.length);
    const handle = await this.open();
    let read = 0;
    while (read < at.length) {
      const { bytesRead } = await handle.read(bytes, read, at.length - read, at.offset + read);
      if (bytesRead === 0) throw new Error('the spool file is shorter than what was written to it');
      read += bytesRead;
    }
    return bytes.toString('utf8');
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle).close();
  }

  private open(): Promise<FileHandle> {
    this.handle ??= this.dir.file(this.name).then((path) => open(path, 'w+', 0o600));
    return this.handle;
  }
}

/** Lines appended in order and read back in the same order, once (a table section's rows). */
export class LineSpool {
  private handle: Promise<FileHandle> | undefined;
  private pending: string[] = [];
  private pendingLength = 0;
  private count = 0;
  private static readonly FLUSH_AT = 1 << 20;

  constructor(private readonly dir: SpoolDir, private readonly name: string) {}

  get lines(): number {
    return this.count;
  }

  /** `line` must hold no newline (the callers write JSON, which never does). */
  async append(line: string): Promise<void> {
    this.pending.push(line);
    this.pendingLength += line.length + 1;
    this.count += 1;
    if (this.pendingLength >= LineSpool.FLUSH_AT) await this.flush();
  }

  /** Every line, in the order appended. */
  async *readAll(): AsyncGenerator<string> {
    await this.flush();
    if (this.handle === undefined) return;
    const path = await this.dir.file(this.name);
    await (await this.handle).close();
    this.handle = undefined;
    const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    try {
      for await (const line of lines) yield line;
    } finally {
      lines.close();
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle).close();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.pendingLength = 0;
    this.handle ??= this.dir.file(this.name).then((path) => open(path, 'a', 0o600));
    await (await this.handle).write(text);
  }
}
