// Hosts end in any order; outputs are written in the inventory's. A host that ends before its turn
// waits: in memory while the waiting hosts hold few sockets, else as JSON in a spool file, read back
// when its turn comes. So memory holds at most the budget, whatever the fleet's size.
import type { HostScan } from '../model/index.js';
import { KeyedSpool, type SpoolDir } from './spool.js';

/** Sockets (about 600 bytes each in memory) that hosts waiting for their turn may hold before they go to disk. */
export const DEFAULT_WAITING_SOCKETS = 20_000;
/** Hosts waiting in memory at most (failed hosts hold no sockets, but still take room). */
const MAX_WAITING_HOSTS = 1_000;

export class HostOrder {
  private next = 0;
  private readonly waiting = new Map<number, HostScan>();
  private waitingSockets = 0;
  private readonly spool: KeyedSpool;

  constructor(
    dir: SpoolDir,
    /** writes one host, called in index order, one call at a time */
    private readonly deliver: (scan: HostScan) => Promise<void>,
    private readonly socketBudget = DEFAULT_WAITING_SOCKETS,
  ) {
    this.spool = new KeyedSpool(dir, 'waiting-hosts.jsonl');
  }

  /** One host, in the order hosts end; `index` is its place in the output. */
  async add(index: number, scan: HostScan): Promise<void> {
    if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`bad output index ${index}`);
    if (index < this.next || this.waiting.has(index) || this.spool.has(index)) throw new Error(`host index ${index} was given twice`);
    if (index !== this.next) {
      await this.wait(index, scan);
      return;
    }
    await this.deliver(scan);
    this.next = index + 1;
    await this.deliverReady();
  }

  /** No more hosts: the ones still waiting (after a gap in the indexes) are written in index order. */
  async finish(): Promise<void> {
    const indexes = [...new Set([...this.waiting.keys(), ...this.spool.keys])].sort((a, b) => a - b);
    for (const index of indexes) {
      await this.deliver(await this.takeWaiting(index));
      this.next = index + 1;
    }
    await this.spool.close();
  }

  async close(): Promise<void> {
    this.waiting.clear();
    await this.spool.close();
  }

  private async wait(index: number, scan: HostScan): Promise<void> {
    if (this.waiting.size < MAX_WAITING_HOSTS && this.waitingSockets + scan.sockets.length <= this.socketBudget) {
      this.waiting.set(index, scan);
      this.waitingSockets += scan.sockets.length;
    } else {
      await this.spool.put(index, JSON.stringify(scan));
    }
  }

  private async deliverReady(): Promise<void> {
    while (this.waiting.has(this.next) || this.spool.has(this.next)) {
      const index = this.next;
      await this.deliver(await this.takeWaiting(index));
      this.next = index + 1;
    }
  }

  private async takeWaiting(index: number): Promise<HostScan> {
    const held = this.waiting.get(index);
    if (held !== undefined) {
      this.waiting.delete(index);
      this.waitingSockets -= held.sockets.length;
      return held;
    }
    return JSON.parse(await this.spool.take(index)) as HostScan;
  }
}
