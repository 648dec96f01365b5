// --state names: netstat's and ss's spellings, any case, each standing for a kernel state as ss's
// state filter means it; every name this iproute2 ss accepts is accepted, and ss refuses what is refused.
import { spawnSync } from 'node:child_process';
import { kernelStateOf, STATE_NAMES, statesNamed } from '../../src/result/states.js';
import { describeIf, hasCommand } from '../helpers/requirements.js';

describe('a name and the states it keeps', () => {
  test.each<[string, string[]]>([
    ['LISTEN', ['LISTEN']],
    ['listen', ['LISTEN']],
    ['listening', ['LISTEN']],
    ['ESTABLISHED', ['ESTABLISHED']],
    ['Established', ['ESTABLISHED']],
    ['TIME_WAIT', ['TIME_WAIT']],
    ['time-wait', ['TIME_WAIT']],
    ['syn-sent', ['SYN_SENT']],
    ['CONNECTING', ['SYN_SENT']],
    ['syn-recv', ['SYN_RECV']],
    ['syn-rcv', ['SYN_RECV']],
    ['NEW_SYN_RECV', ['SYN_RECV']],
    ['fin-wait-1', ['FIN_WAIT1']],
    ['FIN_WAIT2', ['FIN_WAIT2']],
    ['UNCONN', ['CLOSE']],
    ['unconnected', ['CLOSE']],
    ['closed', ['CLOSE']],
    ['close', ['CLOSE']],
    ['bucket', ['SYN_RECV', 'TIME_WAIT']],
  ])('%s', (name, states) => {
    expect([...statesNamed(name)!].sort()).toEqual([...states].sort());
  });

  test('ss\'s groups: connected is every state but listening and closed; synchronized also leaves out syn-sent; big is all but bucket', () => {
    const connected = statesNamed('connected')!;
    expect(connected).not.toContain('LISTEN');
    expect(connected).not.toContain('CLOSE');
    expect(connected).toEqual(expect.arrayContaining(['ESTABLISHED', 'SYN_SENT', 'TIME_WAIT', 'CLOSE_WAIT', 'DISCONNECTING']));
    expect(statesNamed('synchronized')).toEqual(connected.filter((s) => s !== 'SYN_SENT'));
    expect(statesNamed('big')).toEqual(statesNamed('all')!.filter((s) => s !== 'SYN_RECV' && s !== 'TIME_WAIT'));
  });

  test.each(['LISTENING_', 'est', 'time_wait ', 'UNCONNECTED_', '', 'syn-rec'])('%j names no state', (name) => {
    expect(statesNamed(name)).toBeNull();
  });
});

describe('a socket\'s shown state as a kernel state', () => {
  test.each([
    ['LISTEN', 'LISTEN'],
    ['ESTABLISHED', 'ESTABLISHED'],
    ['UNCONN', 'CLOSE'], // udp/raw st 07, unix unconnected: ss shows UNCONN for all
    ['CLOSE', 'CLOSE'],
    ['CONNECTED', 'ESTABLISHED'], // unix: ss shows ESTAB
    ['CONNECTING', 'SYN_SENT'],
    ['DISCONNECTING', 'DISCONNECTING'],
    ['NEW_SYN_RECV', 'SYN_RECV'],
    ['UNKNOWN', 'UNKNOWN'],
    ['SOMETHING_ELSE', 'UNKNOWN'],
  ])('%s is %s', (shown, kernel) => {
    expect(kernelStateOf(shown)).toBe(kernel);
  });
});

describeIf(hasCommand('ss') ? [] : ['ss (iproute2)'], 'the names iproute2 ss takes', () => {
  // ss parses the state before it asks the kernel anything: a name it refuses is refused at once
  const ssTakes = (name: string) => !/wrong state name/.test(spawnSync('ss', ['-t', 'state', name], { encoding: 'utf8' }).stderr);
  test('every ss spelling listed is one ss takes', () => {
    expect(STATE_NAMES.ss.filter((n) => !ssTakes(n))).toEqual([]);
  });
  test('every netstat name that ss also takes means what ss means by it', () => {
    for (const name of ['ESTABLISHED', 'CLOSING', 'CLOSE']) expect(ssTakes(name)).toBe(true);
    expect(statesNamed('CLOSE')).toEqual(statesNamed('closed'));
  });
  test('what ss refuses (no such state) is refused here too', () => {
    for (const name of ['est', 'syn-rec', 'listenin']) {
      expect(ssTakes(name)).toBe(false);
      expect(statesNamed(name)).toBeNull();
    }
  });
});
