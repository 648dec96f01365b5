// Network faults for timeout tests, on loopback only: a server that accepts and never says a word (an
// SSH client waits forever for the banner unless it has a deadline), and a port where nothing listens.
import { createServer, isIPv4, isIPv6, type Socket } from 'node:net';

export interface Tarpit {
  address: string;
  port: number;
  /** connections accepted so far */
  connections(): number;
  /** closes the listener and drops every held connection */
  stop(): Promise<void>;
}

/** The network rule: tests reach 127.0.0.0/8 and ::1, nothing else. */
function assertLoopback(address: string): void {
  if (!((isIPv4(address) && address.startsWith('127.')) || (isIPv6(address) && address === '::1'))) {
    throw new Error(`tests may only use loopback addresses, not ${address}`);
  }
}

export async function startTarpit(address = '127.0.0.1', port = 0): Promise<Tarpit> {
  assertLoopback(address);
  const held = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted++;
    held.add(socket);
    socket.on('error', () => {}); // a client giving up (RST) is not the tarpit's failure
    socket.on('close', () => held.delete(socket));
    // reads nothing back and writes nothing: no banner, no close, until the client gives up
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve());
  });
  return {
    address,
    port: (server.address() as { port: number }).port,
    connections: () => accepted,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of held) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A loopback port with nothing listening (connect gets RST: "connection refused"): one the kernel
 * hands out and that is closed again at once. Another process could take it meanwhile; on a test
 * machine that is rare enough, and a test would then fail loudly rather than pass wrongly.
 */
export async function refusedPort(address = '127.0.0.1'): Promise<number> {
  assertLoopback(address);
  // Below the kernel's ephemeral range (32768-60999 by default): a port listen(0) or a connection
  // hands out could be taken, between now and its use, by another test's server or by a busy
  // machine's connections (a jump test once reached a stranger's server on its "refused" port).
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const server = createServer();
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, address, () => resolve(true));
    });
    if (!bound) continue;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }
}
