import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PortLens } from '../../server/src/analysis/portLens';
import { deployment, lensOf, policy, service, uriOf } from '../helpers';

const duplicates = (lens: PortLens) => lens.allFindings().filter((f) => f.code === 'object-duplicate');
const web = service('web', '{app: web}', '[{port: 80, targetPort: 8080}]');
const pods = deployment('web', '{app: web}', '[{containerPort: 8080}]');

test('the same Service in two files: one information finding, on the second copy, naming the first', () => {
  const found = duplicates(lensOf({ 'a/svc.yaml': web, 'b/svc.yaml': web, 'pods.yaml': pods }));
  assert.equal(found.length, 1);
  const [f] = found;
  assert.equal(f.uri, uriOf('b/svc.yaml'));
  assert.equal(f.severity, 'information');
  assert.equal(f.message.split('. ')[0], 'Service app/web is also defined at a/svc.yaml:1');
  assert.deepEqual(
    f.related.map((r) => [r.uri, r.range.start.line, r.message]),
    [[uriOf('a/svc.yaml'), 3, 'the first Service app/web']],
  );
  // on the name of the object, so the squiggle says which one
  assert.equal(web.split('\n')[f.range.start.line].slice(f.range.start.character, f.range.end.character), 'web');
});

test('the copy reported does not depend on the order the files were read in', () => {
  const lens = new PortLens();
  lens.setFile(uriOf('b/svc.yaml'), web);
  lens.setFile(uriOf('a/svc.yaml'), web);
  assert.deepEqual(
    duplicates(lens).map((f) => f.uri),
    [uriOf('b/svc.yaml')],
  );
});

test('not duplicates: other namespace, other kind, a Calico policy beside the Kubernetes one of the same name', () => {
  const calico = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: p, namespace: app}
spec:
  selector: app == 'web'
  ingress:
    - action: Allow
      destination: {ports: [8080]}
`;
  const files = {
    'a.yaml': web,
    'b.yaml': service('web', '{app: web}', '[{port: 80}]', 'other'),
    'c.yaml': deployment('web', '{app: web}', '[{containerPort: 8080}]'),
    'k8s.yaml': policy('p', '{app: web}', '[{ports: [{port: 8080}]}]'),
    'calico.yaml': calico,
  };
  assert.deepEqual(duplicates(lensOf(files)), []);
});

test('twice in one file: the second names the line of the first; three copies are counted', () => {
  const twice = `${web}---\n${web}`;
  const [f] = duplicates(lensOf({ 'x.yaml': twice }));
  assert.match(f.message, /^Service app\/web is also defined at line 1\. /);
  const three = duplicates(lensOf({ 'x.yaml': twice, 'y.yaml': web }));
  assert.equal(three.length, 2);
  assert.ok(three.every((d) => d.message.includes('(3 copies in all)')));
});

test('edits: adding, changing and removing a copy updates the findings of the other file too', () => {
  const lens = lensOf({ 'a.yaml': web });
  const added = lens.setFile(uriOf('0.yaml'), web);
  // the new copy sorts first: the finding moves to a.yaml, which the change reports
  assert.ok(added.has(uriOf('a.yaml')));
  assert.deepEqual(
    duplicates(lens).map((f) => f.uri),
    [uriOf('a.yaml')],
  );
  const renamed = lens.setFile(uriOf('0.yaml'), web.replace('name: web', 'name: web2'));
  assert.ok(renamed.has(uriOf('a.yaml')));
  assert.deepEqual(duplicates(lens), []);
  lens.setFile(uriOf('0.yaml'), web);
  const removed = lens.removeFile(uriOf('0.yaml'));
  assert.ok(removed.has(uriOf('a.yaml')));
  assert.deepEqual(duplicates(lens), []);
});

const REAL = path.resolve(__dirname, '../corpus/real');

test('no corpus file, checked on its own, defines an object twice', () => {
  const files = readdirSync(REAL).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 21, `the corpus at ${REAL}`);
  for (const file of files) {
    const lens = new PortLens();
    lens.setFile(`file:///corpus/${file}`, readFileSync(path.join(REAL, file), 'utf8'));
    assert.deepEqual(
      duplicates(lens).map((f) => f.message),
      [],
      file,
    );
  }
});

test('the corpus opened as one folder: the charts installed twice in namespace demo (redis of airflow and appsmith) are reported', () => {
  const lens = new PortLens();
  for (const file of ['bitnami-airflow-egress.yaml', 'bitnami-appsmith-egress.yaml'])
    lens.setFile(`file:///corpus/${file}`, readFileSync(path.join(REAL, file), 'utf8'));
  const found = duplicates(lens);
  assert.ok(
    found.some((f) => f.message.startsWith('StatefulSet demo/rel-redis-master is also defined at corpus/bitnami-airflow-egress.yaml:')),
  );
  assert.ok(found.every((f) => f.uri.endsWith('bitnami-appsmith-egress.yaml')));
});

test('two installs in one folder: where two objects read the same, messages and related rows name their files', () => {
  const lens = new PortLens();
  for (const file of ['bitnami-dremio.yaml', 'bitnami-zookeeper.yaml'])
    lens.setFile(`file:///corpus/real/${file}`, readFileSync(path.join(REAL, file), 'utf8'));
  const findings = lens.allFindings().filter((f) => f.code !== 'object-duplicate');
  assert.ok(findings.length > 0);
  for (const f of findings) {
    assert.doesNotMatch(f.message, /StatefulSet demo\/rel-zookeeper and StatefulSet demo\/rel-zookeeper/, f.message);
    const rows = f.related.map((r) => r.message);
    assert.equal(new Set(rows).size, rows.length, rows.join('\n'));
  }
  assert.ok(
    findings.some((f) => f.message.includes('StatefulSet demo/rel-zookeeper (in real/bitnami-dremio.yaml)')),
    findings.map((f) => f.message).join('\n'),
  );
});
