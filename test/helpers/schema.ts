// Validates a document against a JSON Schema shipped in schema/: scan@1 (the default), error@1, or
// one snapshot@1 record (which refers to scan@1 for a host's row), or socket@1 (one NDJSON line; it
// uses scan@1's definitions), or matrix@1, diff@1, drift@1, findings@1, policy@1 (a policy file read as JSON) …
import { readFileSync } from 'node:fs';
import AjvModule from 'ajv';

// ajv is CommonJS: under NodeNext its class is the default export's `default`.
const Ajv = AjvModule.default;
const read = (name: string) => JSON.parse(readFileSync(new URL(`../../schema/${name}`, import.meta.url), 'utf8')) as object;
const compile = (name: string, uses: string[] = []) => {
  const ajv = new Ajv({ allErrors: true, strict: true, logger: false });
  for (const used of uses) ajv.addSchema(read(used));
  return ajv.compile(read(name));
};
const validators = {
  scan: compile('scan-v1.schema.json'),
  error: compile('error-v1.schema.json'),
  snapshot: compile('snapshot-v1.schema.json', ['scan-v1.schema.json']),
  socket: compile('socket-v1.schema.json', ['scan-v1.schema.json']),
  matrix: compile('matrix-v1.schema.json'),
  hosts: compile('hosts-v1.schema.json'),
  diff: compile('diff-v1.schema.json'),
  drift: compile('drift-v1.schema.json'),
  hostSummary: compile('host-summary-v1.schema.json', ['hosts-v1.schema.json']),
  policy: compile('policy-v1.schema.json'),
  findings: compile('findings-v1.schema.json'),
};

/** The schema's complaints about a document, as `path: message` lines; [] when valid. */
export function schemaErrors(document: unknown, contract: keyof typeof validators = 'scan'): string[] {
  const validate = validators[contract];
  return validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}`);
}
