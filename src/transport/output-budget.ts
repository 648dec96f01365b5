// One byte budget for the output of every host in flight (--max-in-flight-bytes): without it, 24 hosts
// flooding output hold 24 × --max-bytes at once. Each host draws on it through its own allowance as
// chunks arrive; a host whose chunk does not fit pauses its stream (the SSH window then closes, and
// the remote blocks) until another host's bytes are released. So that the fleet never deadlocks, the
// first host to find the budget spent may go on over it (up to its own --max-bytes); the others wait
// for it. Memory held: at most the budget, plus one host's cap, plus a chunk per paused host.

export class OutputBudget {
  used = 0;
  /** the most ever held at once, for measurements */
  peak = 0;
  /** the one allowance that may go past the limit */
  overdrawn: OutputAllowance | null = null;
  /** paused hosts, first come first served */
  private readonly waiting: Array<{ allowance: OutputAllowance; wake: () => void }> = [];

  constructor(readonly limit: number) {}

  allowance(): OutputAllowance {
    return new OutputAllowance(this);
  }

  /** Resolves when `allowance` may read again: there is room, or it is the one now allowed past the limit. */
  waitFor(allowance: OutputAllowance): Promise<void> {
    return new Promise((wake) => this.waiting.push({ allowance, wake }));
  }

  /** A host that ended while paused (a deadline, a stop) is no longer waiting. */
  forget(allowance: OutputAllowance): void {
    const at = this.waiting.findIndex((w) => w.allowance === allowance);
    if (at >= 0) this.waiting.splice(at, 1);
  }

  /** Wakes the paused hosts that may go on now, in the order they paused. */
  wake(): void {
    while (this.waiting.length > 0) {
      if (this.used >= this.limit) {
        if (this.overdrawn !== null) return;
        this.overdrawn = this.waiting[0]!.allowance;
      }
      this.waiting.shift()!.wake();
    }
  }
}

/** One host's draw on the budget: what it holds, given back all at once when its output is done with. */
export class OutputAllowance {
  private held = 0;

  constructor(private readonly budget: OutputBudget) {}

  /** Counts a chunk that arrived; false when the host should pause until room() resolves. */
  took(bytes: number): boolean {
    const b = this.budget;
    this.held += bytes;
    b.used += bytes;
    if (b.used > b.peak) b.peak = b.used;
    if (b.used <= b.limit || b.overdrawn === this) return true;
    if (b.overdrawn === null) {
      b.overdrawn = this;
      return true;
    }
    return false;
  }

  /** Resolves once this host may read again (another host released its bytes). */
  room(): Promise<void> {
    return this.budget.waitFor(this);
  }

  /** The host's output has been parsed and handed on: its bytes are free again. */
  release(): void {
    const b = this.budget;
    b.used -= this.held;
    this.held = 0;
    if (b.overdrawn === this) b.overdrawn = null;
    b.forget(this);
    b.wake();
  }
}

/** Counts a chunk of `stream`'s output against the allowance, pausing the stream until there is room. */
export function drawOn(allowance: OutputAllowance | undefined, stream: { pause(): unknown; resume(): unknown }, bytes: number): void {
  if (allowance === undefined || allowance.took(bytes)) return;
  stream.pause();
  void allowance.room().then(() => stream.resume());
}
