// Validates a document against a JSON Schema shipped in schema/: scan@1 (the default) or error@1.
import { readFileSync } from 'node:fs';
import AjvModule from 'ajv';

// ajv is CommonJS: under NodeNext its class is the default export's `default`.
const Ajv = AjvModule.default;
const compile = (name: string) =>
  new Ajv({ allErrors: true, strict: true, logger: false }).compile(JSON.parse(readFileSync(new URL(`../../schema/${name}`, import.meta.url), 'utf8')));
const validators = { scan: compile('scan-v1.schema.json'), error: compile('error-v1.schema.json') };

/** The schema's complaints about a document, as `path: message` lines; [] when valid. */
export function schemaErrors(document: unknown, contract: keyof typeof validators = 'scan'): string[] {
  const validate = validators[contract];
  return validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}`);
}
