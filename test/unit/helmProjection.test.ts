import test from 'node:test';
import assert from 'node:assert/strict';
import { projectRender, templateFile } from '../../server/src/helm/chartModels';
import { splitRenderedOutput } from '../../server/src/helm/renderedOutput';
import { TemplateProjection } from '../../server/src/helm/templateProjection';
import { valuesPathOf, valuesUses, valueLocation } from '../../server/src/helm/valuesKeys';

const rendered = (text: string) => splitRenderedOutput(text);
const at = (line: number, character: number) => ({ line, character });

test('literal text maps column for column, an action maps to the whole {{ … }}', () => {
  const template = [
    'kind: NetworkPolicy',
    'spec:',
    '  ingress:',
    '    - ports:',
    '        - port: 10022',
    '        - port: {{ .Values.port }}',
    '          protocol: {{ .Values.protocol | default "TCP" }}',
  ].join('\n');
  const output =
    '---\n# Source: c/templates/np.yaml\nkind: NetworkPolicy\nspec:\n  ingress:\n    - ports:\n        - port: 10022\n        - port: 8080\n          protocol: TCP\n';
  const p = new TemplateProjection(template, rendered(output));
  const lines = p.text.split('\n');
  const row = (s: string) => lines.findIndex((l) => l.includes(s));
  assert.deepEqual(p.mapRange({ start: at(row('10022'), 16), end: at(row('10022'), 21) }), { start: at(4, 16), end: at(4, 21) });
  assert.deepEqual(p.mapRange({ start: at(row('8080'), 16), end: at(row('8080'), 20) }), { start: at(5, 16), end: at(5, 34) });
  assert.deepEqual(p.editTarget({ start: at(4, 16), end: at(4, 21) }), { kind: 'literal' });
  assert.deepEqual(p.editTarget({ start: at(5, 16), end: at(5, 34) }), { kind: 'action', action: '{{ .Values.port }}' });
  // Part of an action is neither a literal nor the action.
  assert.equal(p.editTarget({ start: at(6, 20), end: at(6, 25) }), undefined);
});

test('lines an include prints map to the include; a range loop shares its line and is not editable', () => {
  const template = [
    'kind: NetworkPolicy',
    'metadata:',
    '  labels:',
    '    {{- include "labels" . | nindent 4 }}',
    'spec:',
    '  ingress:',
    '    - ports:',
    '      {{- range .Values.ports }}',
    '        - port: {{ . }}',
    '      {{- end }}',
  ].join('\n');
  const output =
    'kind: NetworkPolicy\nmetadata:\n  labels:\n    app: a\n    tier: b\nspec:\n  ingress:\n    - ports:\n        - port: 80\n        - port: 10022\n';
  const p = new TemplateProjection(template, rendered(output));
  assert.deepEqual(p.toTemplate(at(4, 6), 'start'), at(3, 4)); // tier: b → the include
  assert.deepEqual(p.toTemplate(at(4, 6), 'end'), at(3, 41));
  const loop = p.mapRange({ start: at(9, 16), end: at(9, 21) });
  assert.deepEqual(loop, { start: at(8, 16), end: at(8, 23) });
  assert.equal(p.editTarget(loop), undefined);
});

test('a document is aligned with the template segment it came from, even when helm reorders kinds', () => {
  const template = [
    'kind: Deployment',
    'metadata:',
    '  name: web',
    '---',
    'kind: Service',
    'metadata:',
    '  name: web-svc',
    'spec:',
    '  ports:',
    '    - port: 80',
  ].join('\n');
  const output =
    '---\n# Source: c/templates/a.yaml\nkind: Service\nmetadata:\n  name: web-svc\nspec:\n  ports:\n    - port: 80\n---\n# Source: c/templates/a.yaml\nkind: Deployment\nmetadata:\n  name: web\n';
  const p = new TemplateProjection(template, rendered(output));
  const lines = p.text.split('\n');
  assert.deepEqual(p.toTemplate(at(lines.indexOf('    - port: 80'), 12), 'start'), at(9, 12));
  assert.deepEqual(p.toTemplate(at(lines.indexOf('  name: web'), 8), 'start'), at(2, 8));
});

test('a # Source: path that leaves the chart folder is never followed', () => {
  const chart = { dir: '/ws/chart', name: 'chart' };
  assert.equal(templateFile(chart, 'chart/templates/np.yaml'), '/ws/chart/templates/np.yaml');
  assert.equal(templateFile(chart, 'chart/../../etc/passwd'), undefined);
  assert.equal(templateFile(chart, 'other/templates/np.yaml'), undefined);
  assert.equal(templateFile(chart, '/etc/passwd'), undefined);
  const read: string[] = [];
  const output =
    '---\n# Source: chart/../../../etc/passwd\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector: {app: a}\n  ports:\n    - port: 80\n';
  const projected = projectRender(chart, output, 'demo', (file) => (read.push(file), undefined));
  assert.deepEqual(read, []);
  assert.deepEqual(
    projected.models.map((m) => m.uri),
    ['file:///ws/chart/Chart.yaml'],
  );
  assert.equal(projected.models[0].services[0].ref.namespace, 'demo');
});

test('values: a plain .Values path, how often the chart reads it, and where it is written', () => {
  assert.deepEqual(valuesPathOf('{{ .Values.service.ports.http }}'), ['service', 'ports', 'http']);
  assert.deepEqual(valuesPathOf('{{- $.Values.a -}}'), ['a']);
  assert.equal(valuesPathOf('{{ .Values.a | quote }}'), undefined);
  assert.equal(valuesPathOf('{{ include "x" . }}'), undefined);
  assert.equal(valuesUses(['svc', 'port'], ['port: {{ .Values.svc.port }}', '{{ .Values.svc.portName }}']), 1);
  assert.equal(valuesUses(['svc', 'port'], ['port: {{ .Values.svc.port }}', '{{ toYaml .Values.svc }}']), 2);
  const values = [
    { uri: 'file:///c/values.yaml', text: 'svc:\n  port: "10022"\n' },
    { uri: 'file:///c/prod.yaml', text: '# prod\nsvc:\n  port: 2222\n' },
  ];
  assert.deepEqual(valueLocation(['svc', 'port'], values), {
    uri: 'file:///c/prod.yaml',
    range: { start: at(2, 8), end: at(2, 12) },
    value: '2222',
  });
  assert.deepEqual(valueLocation(['svc', 'port'], values.slice(0, 1))?.range, { start: at(1, 9), end: at(1, 14) });
  assert.equal(valueLocation(['svc', 'nope'], values), undefined);
});
