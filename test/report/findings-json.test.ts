// The findings document (what `check --format json` prints: the FindingsResult itself) against its
// schema, schema/findings-v1.schema.json.
import { jsonForTerminal } from '../../src/report/escape.js';
import { schemaErrors } from '../helpers/schema.js';
import { cleanResult, findingsResult } from './findings-fixtures.js';

test('the findings document itself (the JSON format) is valid findings@1, and the schema can fail', () => {
  expect(schemaErrors(findingsResult(), 'findings')).toEqual([]);
  expect(schemaErrors(cleanResult(), 'findings')).toEqual([]);
  const bad = findingsResult() as unknown as { findings: Array<Record<string, unknown>> };
  bad.findings[0]!.severity = 'severe';
  bad.findings[1]!.pid = 12;
  expect(schemaErrors(bad, 'findings')).toEqual(['/findings/0/severity: must be equal to one of the allowed values', '/findings/1: must NOT have additional properties']);
});

test('printed with jsonForTerminal: the same document, no control character raw', () => {
  const text = jsonForTerminal(findingsResult());
  expect(JSON.parse(text)).toEqual(findingsResult());
  expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
  expect(text).toContain('"message": "connect ECONNREFUSED 10.0.0.9:22\\u001b[31m\\u0001"');
});
