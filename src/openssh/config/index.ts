// OpenSSH's client configuration: parse (pure), resolve for one host (pure), load the files (I/O).
export * from './types.js';
export { strdelim, splitArguments } from './lexer.js';
export { parseTime, parsePort, parseJumpHost } from './values.js';
export { parseSshConfig, configFromText, unknownKeywordIssues } from './parse.js';
export { resolveSshConfig } from './resolve.js';
export { loadSshConfig, readSshConfig, localSshTarget, expandGlob, SshConfigError, SYSTEM_CONFIG } from './load.js';
