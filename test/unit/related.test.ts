import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PortLens } from '../../server/src/analysis/portLens';
import { podRows } from '../../server/src/analysis/rules/related';
import type { ObjectRef } from '../../server/src/model/manifest';

const REAL = path.resolve(__dirname, '../corpus/real');

function findingsOf(file: string) {
  const uri = `file:///corpus/${file}`;
  const lens = new PortLens();
  lens.setFile(uri, readFileSync(path.join(REAL, file), 'utf8'));
  return lens.findings(uri).filter((f) => f.severity !== 'information');
}

const messages = (f: { related: Array<{ message: string }> }) => f.related.map((r) => r.message);

test('related rows: one pod template per kind, the rest counted on the row of its kind', () => {
  const ref = (kind: string, name: string): ObjectRef => ({
    kind,
    name,
    namespace: 'demo',
    uri: `file:///ws/${name}.yaml`,
    nameRange: { start: { line: 3, character: 8 }, end: { line: 3, character: 8 + name.length } },
    range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } },
  });
  const rows = podRows([ref('StatefulSet', 'a'), ref('Job', 'j'), ref('StatefulSet', 'b'), ref('StatefulSet', 'c')], 'selected pods');
  assert.deepEqual(
    rows.map((r) => [r.uri, r.message]),
    [
      ['file:///ws/a.yaml', 'selected pods: StatefulSet demo/a and 2 more StatefulSets'],
      ['file:///ws/j.yaml', 'selected pods: Job demo/j'],
    ],
  );
  assert.equal(podRows([ref('Deployment', 'x'), ref('Deployment', 'y')], 'p')[0].message, 'p: Deployment demo/x and 1 more Deployment');
});

test('airflow: the StatsD finding of an egress rule names the destination pod that serves 9125/UDP, nothing else', () => {
  const statsd = findingsOf('bitnami-airflow-egress.yaml').filter((f) => f.code === 'netpol-protocol-mismatch');
  assert.equal(statsd.length, 5);
  for (const f of statsd) {
    assert.deepEqual(messages(f), ['destination pods serving 9125/UDP: Deployment demo/rel-airflow-statsd-metrics']);
  }
});

test('appsmith: the Services a fix names, the others counted; destination pods labelled as such', () => {
  const findings = findingsOf('bitnami-appsmith-egress.yaml').filter((f) => f.code === 'netpol-egress-port-unmatched');
  assert.ok(findings.length >= 2);
  for (const f of findings) {
    assert.ok(f.related.length <= 3, messages(f).join('\n'));
    assert.ok(
      messages(f).every((m) => !m.startsWith('selected pods')),
      messages(f).join('\n'),
    );
    assert.ok(
      messages(f).includes('destination pods: Deployment demo/rel-appsmith-backend and 2 more Deployments'),
      messages(f).join('\n'),
    );
    // every Service a fix names has its row (and some fix names one)
    const named = f.fixes.flatMap((fix) => /\((Service \S+) forwards/.exec(fix.title)?.[1] ?? []);
    assert.ok(named.length > 0, f.fixes.map((fix) => fix.title).join('\n'));
    for (const service of named)
      assert.ok(
        messages(f).some((m) => m.startsWith(`${service} forwards`)),
        `${service}: ${messages(f).join('\n')}`,
      );
    // the forwards left out are counted
    const forwards = messages(f).filter((m) => m.startsWith('Service '));
    assert.match(forwards.at(-1)!, /\(and \d more Services?\)$/);
  }
});

test('the warnings of the corpus bring at most three related rows each', () => {
  const files = ['bitnami-airflow-egress.yaml', 'bitnami-appsmith-egress.yaml', 'bitnami-dremio.yaml', 'bitnami-rabbitmq-lbport.yaml'];
  for (const file of files) {
    const findings = findingsOf(file);
    assert.ok(findings.length > 0, `${file} has warnings`);
    for (const f of findings) assert.ok(f.related.length <= 3, `${file} ${f.code}: ${messages(f).join(' | ')}`);
  }
  const dremio = findingsOf('bitnami-dremio.yaml').find((f) => f.code === 'service-target-port-unmatched')!;
  assert.deepEqual(messages(dremio), [
    'selected pods: StatefulSet demo/rel-dremio-coordinator and 2 more StatefulSets',
    'selected pods: Job demo/rel-dremio-bootstrap-user',
  ]);
});
