// ssh2 without its native binding (fleetstat's install denies the script that builds it): its
// JavaScript chacha20-poly1305 breaks a connection carried inside another one that uses it too, which
// is every target behind a jump host when both sshds prefer it (OpenSSH's default order). The e2e
// bastion test scans through a jump host with OpenSSH's default ciphers; this pins the rule itself.
import { NATIVE_CRYPTO, unusableAlgorithms } from '../../src/transport/ssh.js';

const defaults = { kex: ['curve25519-sha256'], mac: ['hmac-sha2-256-etm@openssh.com'] };

test('chacha20-poly1305 is offered only with the native binding; alone, it refuses the host before contact', () => {
  const only = unusableAlgorithms({ ...defaults, cipher: ['chacha20-poly1305@openssh.com'] }, ['ssh-ed25519']);
  if (NATIVE_CRYPTO) expect(only).toBeNull();
  else expect(only).toBe("Ciphers allows only chacha20-poly1305@openssh.com, none of which fleetstat's SSH library implements (its chacha20-poly1305 needs ssh2's native crypto binding, which fleetstat's install does not build)");
  expect(unusableAlgorithms({ ...defaults, cipher: ['chacha20-poly1305@openssh.com', 'aes128-gcm@openssh.com'] }, ['ssh-ed25519'])).toBeNull();
});
