import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PortLens } from '../../server/src/analysis/portLens';
import { containsPosition } from '../../server/src/model/source';
import { textAt } from '../helpers';

const REAL = path.resolve(__dirname, '../corpus/real');

/**
 * The warnings and errors of test/corpus/SOURCES.md "Known findings", each file checked on
 * its own: [object, value as written, code, preferred fix, other fixes that must be offered].
 */
const KNOWN: Record<string, Array<[string, string, string, string | null, string[]]>> = {
  'bitnami-appsmith-egress.yaml': [
    ...Array(3).fill(['NetworkPolicy rel-appsmith', '80', 'netpol-egress-port-unmatched', '8083', []]),
    ...Array(2).fill(['NetworkPolicy rel-appsmith-rts', '80', 'netpol-egress-port-unmatched', null, ['8083', '8080']]),
    // Known structure findings: a `to:` indented under a port entry, twice; the fix moves it up
    ['NetworkPolicy rel-appsmith-backend', 'to', 'netpol-misplaced-field', '', []],
    ['NetworkPolicy rel-appsmith-backend', 'to', 'netpol-misplaced-field', '', []],
  ],
  'bitnami-airflow-egress.yaml': ['scheduler', 'dag-processor', 'web', 'worker', 'triggerer'].map((c) => [`NetworkPolicy rel-airflow-${c}`, '9125', 'netpol-protocol-mismatch', '\n          protocol: UDP', []]),
  'bitnami-rabbitmq-lbport.yaml': [['NetworkPolicy rel-rabbitmq', '10022', 'netpol-egress-port-unmatched', '5672', []]],
  'grafana-loki-distributed.yaml': [['NetworkPolicy loki-distributed-ingress-metrics', 'http-metrics', 'netpol-port-unmatched', null, []]],
  'bitnami-dremio.yaml': [
    ['Service rel-dremio-headless', 'fabric', 'service-target-port-unmatched', 'server-fabric', []],
    ['Service rel-dremio-headless', 'conduit', 'service-target-port-unmatched', 'server-conduit', []],
    ['Service rel-dremio-headless', 'conduit', 'service-target-port-unmatched', 'server-conduit', []],
    ['Service rel-zookeeper-headless', 'follower', 'service-target-port-unmatched', null, []],
    ['Service rel-zookeeper-headless', 'election', 'service-target-port-unmatched', null, []],
  ],
  'bitnami-zookeeper.yaml': [
    ['Service rel-zookeeper-headless', 'follower', 'service-target-port-unmatched', null, []],
    ['Service rel-zookeeper-headless', 'election', 'service-target-port-unmatched', null, []],
  ],
};

const files = existsSync(REAL) ? readdirSync(REAL).filter((f) => f.endsWith('.yaml')).sort() : [];

test('the vendored corpus is there', () => {
  assert.ok(files.length >= 21, `expected the corpus at ${REAL}`);
  for (const name of Object.keys(KNOWN)) assert.ok(files.includes(name), name);
});

for (const file of files) {
  test(`corpus ${file}: exactly the known warnings and errors`, () => {
    const uri = `file:///corpus/${file}`;
    const text = readFileSync(path.join(REAL, file), 'utf8');
    const lens = new PortLens();
    lens.setFile(uri, text);
    const model = lens.index.file(uri)!;
    const owner = (range: { start: { line: number; character: number } }) => {
      const object = [...model.policies, ...model.services].find((o) => containsPosition(o.ref.range, range.start));
      return object ? `${object.ref.kind} ${object.ref.name}` : '?';
    };
    const actual = lens
      .findings(uri)
      .filter((f) => f.severity !== 'information')
      .map((f) => [
        owner(f.range),
        textAt(text, f),
        f.code,
        f.fixes.find((x) => x.isPreferred)?.edits[0].newText ?? null,
        f.fixes.filter((x) => !x.isPreferred).map((x) => x.edits[0].newText),
      ]);
    const expected = KNOWN[file] ?? [];
    const norm = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r.slice(0, 4))).sort();
    assert.deepEqual(norm(actual), norm(expected));
    // Each expected row's other fixes are offered by the finding of that same row.
    for (const row of expected) {
      const key = JSON.stringify(row.slice(0, 4));
      const found = actual.filter((a) => JSON.stringify(a.slice(0, 4)) === key);
      assert.ok(found.length > 0, key);
      for (const a of found) assert.ok((row[4] as string[]).every((o) => (a[4] as string[]).includes(o)), `${key}: fixes ${row[4]} offered`);
    }
  });
}
