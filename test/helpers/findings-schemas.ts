// The schemas the findings' JUnit and SARIF outputs are checked against (test/report/schemas/README.md
// says where each came from): Jenkins xunit's junit-10.xsd through xmllint, and both SARIF 2.1.0 JSON
// schemas of oasis-tcs/sarif-spec through ajv with formats (GitHub rejects a log whose URIs do not parse).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';

export const JUNIT_XSD = new URL('../report/schemas/junit-10.xsd', import.meta.url).pathname;

/** xmllint's verdict on a JUnit document: status 0 when valid, its complaints on stderr. */
export function lintJunit(xml: string): { status: number | null; stderr: string } {
  const run = spawnSync('xmllint', ['--noout', '--schema', JUNIT_XSD, '-'], { input: xml, encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr };
}

// ajv and ajv-formats are CommonJS: under NodeNext each one's export is its default's `default`.
const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;
const readSchema = (name: string) => JSON.parse(readFileSync(new URL(`../report/schemas/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
// errata01 is written as draft-04 but uses nothing of it but the top-level `id` (draft-07's `$id`)
const { id, $schema: _draft04, ...errata01 } = readSchema('sarif-schema-2.1.0-errata01.json');
// unicodeRegExp off: the schema's `language` pattern (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) has a
// stray `]` that a `u` regular expression refuses; strict off: the schema predates ajv's strict mode.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, logger: false });
addFormats(ajv);
const validators = [ajv.compile(readSchema('sarif-schema-2.1.0.json')), ajv.compile({ $schema: 'http://json-schema.org/draft-07/schema#', $id: id as string, ...errata01 })];

/** Both SARIF schemas' complaints, each once, as `path: message` lines; [] when both accept it. */
export function sarifErrors(document: unknown): string[] {
  const errors = validators.flatMap((validate) => (validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}`)));
  return [...new Set(errors)];
}
