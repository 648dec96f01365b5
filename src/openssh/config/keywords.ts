// Every keyword OpenSSH 9.2's ssh_config knows (readconf.c `keywords[]`, as Debian builds it: with
// GSSAPI and PKCS#11), the check its value gets, and what fleetstat does with it. A keyword not in
// this list is refused as ssh refuses it ("Bad configuration option"), unless IgnoreUnknown names it.
// Decisions for the keywords fleetstat does not act on are in the README ("SSH, as OpenSSH would do it").
import {
  addKeysToAgent, agentPath, algorithms, anything, bindMask, command, controlPersist, DIGESTS, domains, escapeChar,
  FLAG, flag, forward, forwardAgent, integer, ipQos, LOG_FACILITIES, LOG_LEVELS, oneOf, permittedCnames, rekeyLimit,
  remoteOpen, sendEnv, setEnv, single, time, tunnelDevice, words, type ValueCheck,
} from './checks.js';

export type KeywordRole =
  /** parse.ts reads it into a typed option (Host, Match, Include, HostName, Port …) */
  | 'parsed'
  /** read as checked, kept as a string option under `slot` (the keyword, or the one it is an alias of) */
  | 'read'
  /** checked like ssh checks it, then ignored: it changes nothing fleetstat does */
  | 'ignored'
  /** OpenSSH accepts it and says nothing (or a debug line) */
  | 'deprecated'
  /** OpenSSH says "Unsupported option" and goes on: a warning */
  | 'unsupported';

export interface KeywordSpec {
  role: KeywordRole;
  check: ValueCheck;
  /** the option a `read` keyword sets (aliases share one) */
  slot?: string;
}

const parsed: KeywordSpec = { role: 'parsed', check: anything };
const read = (check: ValueCheck, slot?: string): KeywordSpec => ({ role: 'read', check, ...(slot ? { slot } : {}) });
const ignored = (check: ValueCheck): KeywordSpec => ({ role: 'ignored', check });
const deprecated: KeywordSpec = { role: 'deprecated', check: anything };
const unsupported: KeywordSpec = { role: 'unsupported', check: anything };
const string = single();

export const KEYWORDS: ReadonlyMap<string, KeywordSpec> = new Map<string, KeywordSpec>([
  // deprecated and unsupported (readconf.c: oIgnore, oDeprecated, oUnsupported)
  ['protocol', deprecated], ['cipher', deprecated], ['fallbacktorsh', deprecated], ['globalknownhostsfile2', deprecated],
  ['rhostsauthentication', deprecated], ['userknownhostsfile2', deprecated], ['useroaming', deprecated],
  ['usersh', deprecated], ['useprivilegedport', deprecated],
  ['afstokenpassing', unsupported], ['kerberosauthentication', unsupported], ['kerberostgtpassing', unsupported],
  ['rsaauthentication', unsupported], ['rhostsrsaauthentication', unsupported], ['compressionlevel', unsupported],

  // what fleetstat reads
  ['host', parsed], ['match', parsed], ['include', parsed], ['hostname', parsed], ['user', parsed], ['port', parsed],
  ['identityfile', parsed], ['identityfile2', parsed], ['identitiesonly', parsed], ['hostkeyalias', parsed],
  ['proxyjump', parsed], ['proxycommand', parsed], ['userknownhostsfile', parsed], ['globalknownhostsfile', parsed],
  ['stricthostkeychecking', parsed], ['connecttimeout', parsed], ['serveraliveinterval', parsed],
  ['serveralivecountmax', parsed], ['canonicalizehostname', parsed],
  ['hashknownhosts', read(flag)],
  ['revokedhostkeys', read(string)],
  ['knownhostscommand', read(command)],
  ['checkhostip', read(flag)],
  ['verifyhostkeydns', read(oneOf(...FLAG, 'ask'))],
  ['nohostauthenticationforlocalhost', read(flag)],
  ['hostkeyalgorithms', read(algorithms('key'))],
  ['kexalgorithms', read(algorithms('kex'))],
  ['ciphers', read(algorithms('cipher'))],
  ['macs', read(algorithms('mac'))],
  ['requiredrsasize', read(integer)],
  ['identityagent', read(agentPath)],
  ['pubkeyauthentication', read(oneOf(...FLAG, 'unbound', 'host-bound'))],
  ['dsaauthentication', read(oneOf(...FLAG, 'unbound', 'host-bound'), 'pubkeyauthentication')],
  ['preferredauthentications', read(string)],
  ['ignoreunknown', read(string)],

  // checked, then ignored
  ['gssapiauthentication', ignored(flag)], ['gssapidelegatecredentials', ignored(flag)],
  ['pkcs11provider', ignored(string)], ['smartcarddevice', ignored(string)], ['securitykeyprovider', ignored(string)],
  ['forwardagent', ignored(forwardAgent)], ['forwardx11', ignored(flag)], ['forwardx11trusted', ignored(flag)],
  ['forwardx11timeout', ignored(time)], ['exitonforwardfailure', ignored(flag)], ['xauthlocation', ignored(string)],
  ['gatewayports', ignored(flag)], ['passwordauthentication', ignored(flag)],
  ['kbdinteractiveauthentication', ignored(flag)], ['challengeresponseauthentication', ignored(flag)],
  ['skeyauthentication', ignored(flag)], ['tisauthentication', ignored(flag)], ['kbdinteractivedevices', ignored(string)],
  ['hostbasedauthentication', ignored(flag)], ['certificatefile', ignored(string)], ['addkeystoagent', ignored(addKeysToAgent)],
  ['remoteforward', ignored(forward(1, 2))], ['localforward', ignored(forward(2, 2))], ['dynamicforward', ignored(forward(1, 1))],
  ['permitremoteopen', ignored(remoteOpen)], ['clearallforwardings', ignored(flag)], ['escapechar', ignored(escapeChar)],
  ['connectionattempts', ignored(integer)], ['batchmode', ignored(flag)], ['compression', ignored(oneOf('yes', 'no'))],
  ['tcpkeepalive', ignored(flag)], ['keepalive', ignored(flag)], ['numberofpasswordprompts', ignored(integer)],
  ['syslogfacility', ignored(oneOf(...LOG_FACILITIES))], ['loglevel', ignored(oneOf(...LOG_LEVELS))], ['logverbose', ignored(words())],
  ['casignaturealgorithms', ignored(algorithms('key'))], ['hostbasedacceptedalgorithms', ignored(algorithms('key'))],
  ['hostbasedkeytypes', ignored(algorithms('key'))], ['pubkeyacceptedalgorithms', ignored(algorithms('key'))],
  ['pubkeyacceptedkeytypes', ignored(algorithms('key'))],
  ['bindaddress', ignored(string)], ['bindinterface', ignored(string)], ['enablesshkeysign', ignored(flag)],
  ['rekeylimit', ignored(rekeyLimit)], ['addressfamily', ignored(oneOf('inet', 'inet6', 'any'))],
  ['sendenv', ignored(sendEnv)], ['setenv', ignored(setEnv)],
  ['controlpath', ignored(string)], ['controlmaster', ignored(oneOf(...FLAG, 'auto', 'ask', 'autoask'))],
  ['controlpersist', ignored(controlPersist)],
  ['tunnel', ignored(oneOf(...FLAG, 'ethernet', 'point-to-point'))], ['tunneldevice', ignored(tunnelDevice)],
  ['localcommand', ignored(command)], ['permitlocalcommand', ignored(flag)], ['remotecommand', ignored(command)],
  ['visualhostkey', ignored(flag)], ['ipqos', ignored(ipQos)],
  ['requesttty', ignored(oneOf(...FLAG, 'force', 'auto'))], ['sessiontype', ignored(oneOf('none', 'subsystem', 'default'))],
  ['stdinnull', ignored(flag)], ['forkafterauthentication', ignored(flag)], ['proxyusefdpass', ignored(flag)],
  ['canonicaldomains', ignored(domains)], ['canonicalizefallbacklocal', ignored(flag)],
  ['canonicalizemaxdots', ignored(integer)], ['canonicalizepermittedcnames', ignored(permittedCnames)],
  ['streamlocalbindmask', ignored(bindMask)], ['streamlocalbindunlink', ignored(flag)],
  ['fingerprinthash', ignored(oneOf(...DIGESTS))], ['updatehostkeys', ignored(oneOf(...FLAG, 'ask'))],
  ['enableescapecommandline', ignored(flag)],
]);
