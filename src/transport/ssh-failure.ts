// Which host status a failed SSH connection is, from the error the SSH library reports: a host's row
// must tell a timeout, a refused login and an unreachable host apart (the exit code does: 4 or 8).
import { messagePrefix, type SshEndpoint } from './ssh-endpoint.js';
import { TransportError } from './transport.js';

/** An error as ssh2 raises it: `level` says which stage failed (client-timeout, client-authentication …). */
export type SshLibraryError = Error & { level?: string; code?: string };

/** `authTried`: the server got as far as asking for authentication. */
export function classifyConnectError(err: SshLibraryError, endpoint: SshEndpoint, authTried: boolean): TransportError {
  const where = messagePrefix(endpoint);
  if (err.level === 'client-timeout') return new TransportError('timeout', `${where}${err.message}`);
  if (err.level === 'client-authentication' || (authTried && /authentication/i.test(err.message))) {
    return new TransportError('auth', `${where}authentication failed for user ${endpoint.user} (${err.message})`);
  }
  // refused, unreachable, no such name, reset during the handshake: the host was not reached
  return new TransportError('unreachable', `${where}${err.message}`);
}
