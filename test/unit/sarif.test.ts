import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import { formatSarif } from '../../server/src/cli/sarif';
import { deployment, lensOf, policy, service } from '../helpers';

// The SARIF 2.1.0 schema (OASIS, as published on schemastore), shipped here: tests never fetch it.
const SCHEMA = JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/sarif/sarif-2.1.0-rtm.5.json'), 'utf8'));

test('check --format sarif writes a log the SARIF 2.1.0 schema accepts: results, related locations, fixes, suppressions', () => {
  const lens = lensOf({
    'app.yaml': [
      deployment('web', '{app: web}', '[{containerPort: 22}]'),
      service('web', '{app: web}', '[{port: 10022, targetPort: 22}]'),
    ].join('---\n'),
    'policy.yaml': policy('ssh', '{matchLabels: {app: web}}', '[{ports: [{port: 10022}]}]'),
    'ignored.yaml': `${policy('other', '{matchLabels: {app: web}}', '[{ports: [{port: 10022}]}]')}`.replace(
      '  name: other\n',
      '  name: other\n  annotations:\n    port-lens.io/ignore: netpol-port-unmatched\n',
    ),
  });
  const findings = lens.suppressAll(lens.allFindings());
  assert.ok(
    findings.some((f) => f.fixes.length > 0 && f.related.length > 0),
    'a finding with fixes and related locations',
  );
  assert.ok(
    findings.some((f) => f.suppressed),
    'a suppressed finding',
  );
  const log = JSON.parse(formatSarif(findings, '/ws', '1.2.3')) as { runs: Array<{ results: object[] }> };
  const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }).compile(SCHEMA);
  const valid = validate(log);
  assert.ok(valid, JSON.stringify(validate.errors, null, 2));
  assert.equal(log.runs[0].results.length, findings.length);
  const broken = { ...log, runs: [{ ...log.runs[0], results: [{ ...log.runs[0].results[0], level: 'info' }] }] };
  assert.ok(!validate(broken), 'the schema does reject');
});
