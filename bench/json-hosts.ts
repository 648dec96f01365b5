// Reads a fleetstat/scan@1 document of any size in bounded memory: the `hosts` array's objects are
// cut out one at a time (each parsed on its own), and everything else (the skeleton, with each host
// object replaced by 0) is parsed at the end, so the whole file is checked as JSON without ever being
// one string (a 600k-socket document is past V8's string limit).
//
// The scan is over bytes: every JSON structural character is ASCII, and no byte of a multi-byte
// UTF-8 sequence is ASCII, so strings and brackets are found without decoding.
import { createReadStream } from 'node:fs';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** the skeleton is the document minus its hosts: a few hundred bytes, plus "0," per host */
const MAX_SKELETON_BYTES = 16 * 1024 * 1024;
/** a key at depth 1 is remembered only while it is short (`hosts` is what is looked for) */
const MAX_KEY_BYTES = 64;

export interface JsonHostsResult {
  /** the document with every host object replaced by 0, parsed */
  skeleton: unknown;
  hosts: number;
}

/**
 * Streams `path`, calling `onHost` with each element of the top-level `hosts` array that is an object.
 * Throws (a SyntaxError, or an Error saying where) when the file is not one JSON document.
 */
export async function readJsonHosts(path: string, onHost: (host: unknown, index: number) => void, maxHostBytes = 512 * 1024 * 1024): Promise<JsonHostsResult> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let key: number[] | undefined; // bytes of the string being read at depth 1 (undefined: not collecting)
  let lastKey = '';
  let hostsDepth = -1; // depth inside the hosts array (2), once its `[` is seen
  let host: Buffer[] | undefined; // the host object being cut out
  let hostBytes = 0;
  let hosts = 0;
  const skeleton: Buffer[] = [];
  let skeletonBytes = 0;
  let offset = 0;

  const keep = (bytes: Buffer) => {
    skeletonBytes += bytes.length;
    if (skeletonBytes > MAX_SKELETON_BYTES) throw new Error(`more than ${MAX_SKELETON_BYTES} bytes outside the host objects (at byte ${offset})`);
    skeleton.push(Buffer.from(bytes)); // a copy: a slice would keep its whole read chunk alive
  };

  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let from = 0; // start of the part of this chunk not yet given to the skeleton or the host
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) {
          inString = false;
          if (key) {
            lastKey = Buffer.from(key).toString('utf8');
            key = undefined;
          }
        } else if (key) {
          if (key.length < MAX_KEY_BYTES) key.push(b);
        }
        continue;
      }
      if (b === QUOTE) {
        inString = true;
        key = depth === 1 ? [] : undefined;
      } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
        if (depth === 1 && b === OPEN_ARRAY && lastKey === 'hosts' && hostsDepth < 0) hostsDepth = 2;
        if (depth === hostsDepth && b === OPEN_OBJECT) {
          keep(chunk.subarray(from, i));
          keep(Buffer.from('0'));
          host = [];
          hostBytes = 0;
          from = i;
        }
        depth++;
      } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
        depth--;
        if (depth < 0) throw new Error(`unbalanced ${String.fromCharCode(b)} at byte ${offset + i}`);
        if (host && depth === hostsDepth) {
          host.push(chunk.subarray(from, i + 1));
          const text = Buffer.concat(host).toString('utf8');
          host = undefined;
          from = i + 1;
          onHost(JSON.parse(text), hosts++);
        }
      }
    }
    if (host) {
      hostBytes += chunk.length - from;
      if (hostBytes > maxHostBytes) throw new Error(`host ${hosts} is larger than ${maxHostBytes} bytes`);
      host.push(chunk.subarray(from));
    } else keep(chunk.subarray(from));
    offset += chunk.length;
  }
  if (host || inString) throw new Error(`the document ends inside ${host ? `host ${hosts}` : 'a string'} (byte ${offset})`);
  return { skeleton: JSON.parse(Buffer.concat(skeleton).toString('utf8')), hosts };
}
