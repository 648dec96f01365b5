// Validates a document against the scan@1 JSON Schema shipped in schema/.
import { readFileSync } from 'node:fs';
import AjvModule from 'ajv';

// ajv is CommonJS: under NodeNext its class is the default export's `default`.
const Ajv = AjvModule.default;
const schema = JSON.parse(readFileSync(new URL('../../schema/scan-v1.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true, logger: false }).compile(schema);

/** The schema's complaints about a document, as `path: message` lines; [] when valid. */
export function schemaErrors(document: unknown): string[] {
  return validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}`);
}
