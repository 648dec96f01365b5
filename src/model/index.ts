export type * from './capture.js';
export type * from './issue.js';
export type * from './socket.js';
export type * from './host.js';
export type * from './outcome.js';
export type * from './snapshot.js';
