import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, visit } from 'yaml';
import { PortLens } from '../../server/src/analysis/portLens';
import { ModelCache } from '../../server/src/cache/modelCache';
import { parseManifests, READ_KEYS } from '../../server/src/model/parse';
import { blankUnreadValues } from '../../server/src/model/unreadValues';
import { splitDocuments } from '../../server/src/model/prefilter';
import { SourceText } from '../../server/src/model/source';
import { YamlReader } from '../../server/src/model/yamlReader';
import { generateProfile, generateWorkspace, PROFILES } from '../bench/generate';
import { readBlockDocument } from '../../server/src/model/blockReader';

const full = (uri: string, text: string) => parseManifests(uri, text, { everyDocument: true });

/** Findings of the plain way: every document parsed, files added one at a time. */
function plainFindings(files: Array<[string, string]>) {
  const lens = new PortLens();
  for (const [uri, text] of files) lens.setModel(full(uri, text));
  return lens.allFindings();
}

function loadedFindings(models: ReturnType<typeof parseManifests>[]) {
  const lens = new PortLens();
  lens.load(models);
  return lens.allFindings();
}

test('on a generated workspace, the prefilter, the bulk load and the cache (miss and hit) give the findings of a plain full parse', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-fast-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ws = generateWorkspace(path.join(dir, 'ws'), 200, 7);
  const files = ws.files.map((file): [string, string] => [URI.file(file).toString(), readFileSync(file, 'utf8')]);

  const plain = plainFindings(files);
  assert.ok(ws.planted.length > 0);
  assert.equal(plain.filter((f) => f.severity !== 'information').length, ws.planted.length);

  let skipped = 0;
  for (const [uri, text] of files) {
    assert.deepEqual(parseManifests(uri, text), full(uri, text), uri);
    skipped += splitDocuments(text)?.filter((s) => s.skippable).length ?? 0;
  }
  assert.ok(skipped > 200, `the prefilter leaves documents unparsed (${skipped})`);
  assert.deepEqual(loadedFindings(files.map(([uri, text]) => parseManifests(uri, text))), plain);

  const folder = path.join(dir, 'cache');
  const missing = await ModelCache.open(folder, [dir]);
  assert.deepEqual(loadedFindings(files.map(([uri, text]) => missing.model(uri, text))), plain);
  assert.equal(missing.hits, 0);
  // Only the files `yaml` had to parse are kept; the rest are read again, as fast as from the cache.
  const costly = files.filter(([uri, text]) => {
    const cost = { yaml: false };
    parseManifests(uri, text, { cost });
    return cost.yaml;
  });
  assert.ok(costly.length > 0 && costly.length < files.length, `${costly.length} of ${files.length} files took yaml`);
  assert.equal(missing.misses, costly.length);
  await missing.save();

  const cached = await ModelCache.open(folder, [dir]);
  assert.deepEqual(loadedFindings(files.map(([uri, text]) => cached.model(uri, text))), plain);
  assert.equal(cached.misses, 0);
  assert.equal(cached.hits, costly.length);
});

test('the cache keeps the model of a file yaml parsed (an anchor), not of one the block reader read alone', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const block = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n';
  const anchored = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: &name b\n';
  const first = await ModelCache.open(dir, ['/ws']);
  assert.deepEqual(first.model('file:///ws/a.yaml', block), full('file:///ws/a.yaml', block));
  assert.deepEqual(first.model('file:///ws/b.yaml', anchored), full('file:///ws/b.yaml', anchored));
  assert.equal(first.misses, 1);
  await first.save();
  const cache = await ModelCache.open(dir, ['/ws']);
  assert.deepEqual(cache.model('file:///ws/a.yaml', block), full('file:///ws/a.yaml', block));
  assert.deepEqual(cache.model('file:///ws/b.yaml', anchored), full('file:///ws/b.yaml', anchored));
  assert.equal(cache.hits, 1);
  assert.equal(cache.misses, 0);
});

test('two files with the same content get models of their own from the cache', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // An anchor: yaml parses it, so the cache keeps its model.
  const text =
    'apiVersion: v1\nkind: Service\nmetadata: {name: &name s, namespace: a}\nspec: {selector: {app: x}, ports: [{port: 80, targetPort: 8080}]}\n';
  const first = await ModelCache.open(dir, ['/ws']);
  first.model('file:///ws/a.yaml', text);
  await first.save();
  const cache = await ModelCache.open(dir, ['/ws']);
  const a = cache.model('file:///ws/a.yaml', text);
  const b = cache.model('file:///ws/b.yaml', text);
  assert.equal(cache.hits, 2);
  assert.notEqual(a.services[0], b.services[0]);
  assert.equal(a.services[0].ref.uri, 'file:///ws/a.yaml');
  assert.equal(b.services[0].ref.uri, 'file:///ws/b.yaml');
  assert.equal(b.uri, 'file:///ws/b.yaml');
  assert.deepEqual(b, full('file:///ws/b.yaml', text));
});

test('a cache written by another format, or unreadable, is ignored', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const first = await ModelCache.open(dir, ['/ws']);
  first.model('file:///ws/a.yaml', 'kind: Namespace\napiVersion: v1\nmetadata: {name: &name a}\n');
  await first.save();
  const [pack] = readdirSync(dir);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(path.join(dir, pack), 'not a pack');
  const cache = await ModelCache.open(dir, ['/ws']);
  assert.equal(cache.model('file:///ws/a.yaml', 'kind: Namespace\napiVersion: v1\nmetadata: {name: &name a}\n').namespaces.length, 1);
  assert.equal(cache.misses, 1);
});

/** Documents whose kind cannot be read from their lines alone: they must be parsed, and agree with the full parse. */
const TRICKY: Record<string, string> = {
  'indented top level':
    '---\n  apiVersion: v1\n  kind: Service\n  metadata: {name: s}\n  spec: {selector: {a: b}, ports: [{port: 1, targetPort: 2}]}\n',
  'flow top level': '{apiVersion: v1, kind: Namespace, metadata: {name: flow}}\n',
  'quoted kind key': '"kind": Namespace\napiVersion: v1\nmetadata: {name: q}\n',
  'kind over two lines': 'apiVersion: v1\nkind: Pod\n  List\nitems: []\n',
  'kind as an alias': 'x: &k Namespace\napiVersion: v1\nkind: *k\nmetadata: {name: alias}\n',
  'kind with a tag': 'apiVersion: v1\nkind: !!str Namespace\nmetadata: {name: tagged}\n',
  'root block scalar': '--- |\nkind: Deployment\n',
  directive: '%YAML 1.2\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: d}\n',
  'end marker': 'apiVersion: v1\nkind: ConfigMap\n...\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: e}\n',
  'two kinds': 'apiVersion: v1\nkind: ConfigMap\nkind: Namespace\nmetadata: {name: two}\n',
  'merge key': '<<: {kind: Namespace}\napiVersion: v1\nmetadata: {name: m}\n',
  'broken Deployment':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: [x\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n',
  'broken ConfigMap':
    'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: x\n\tb: 1\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: after}\n',
  'unclosed quote runs on':
    'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "x\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: swallowed}\n',
  'comment before the first marker':
    '# header\n---\n# Source: chart/templates/ns.yaml\napiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n---\napiVersion: v1\nkind: ConfigMap\n',
  'ConfigMap with bad metadata': 'apiVersion: v1\nkind: ConfigMap\nmetadata: [1, 2]\n',
  'compact list at column 0':
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nsubjects:\n- kind: ServiceAccount\n  name: x\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: listed}\n',
  'CRLF and comments':
    '# Source: chart/templates/svc.yaml\r\napiVersion: v1\r\nkind: ConfigMap # not read\r\ndata: {}\r\n---\r\n# Source: chart/templates/ns.yaml\r\napiVersion: v1\r\nkind: Namespace\r\nmetadata: {name: crlf}\r\n',
};

test('documents the prefilter cannot read are parsed, with the same result as a full parse', () => {
  for (const [name, text] of Object.entries(TRICKY)) {
    assert.deepEqual(parseManifests('file:///t.yaml', text), full('file:///t.yaml', text), name);
  }
  const model = (name: string) => parseManifests('file:///t.yaml', TRICKY[name]);
  assert.equal(model('indented top level').services.length, 1);
  assert.equal(model('flow top level').namespaces.length, 1);
  assert.equal(model('kind as an alias').namespaces.length, 1);
  assert.equal(model('compact list at column 0').namespaces[0].ref.name, 'listed');
  assert.equal(model('CRLF and comments').namespaces[0].ref.helmSource, 'chart/templates/ns.yaml');
  // A broken document of a kind the analysis reads is reported; a broken ConfigMap is left to YAML tools.
  assert.deepEqual(
    model('broken Deployment').errors.map((e) => e.kind),
    ['syntax'],
  );
  assert.deepEqual(model('broken ConfigMap').errors, []);
  assert.equal(model('broken ConfigMap').namespaces[0].ref.name, 'after');
  assert.deepEqual(model('ConfigMap with bad metadata').errors, []);
  // yaml reads an unclosed quote on over the next `---`: the Namespace is part of the broken ConfigMap.
  assert.deepEqual(model('unclosed quote runs on').namespaces, []);
  assert.equal(model('unclosed quote runs on').errors.length, 1);
});

test('the real charts of the corpus read the same with and without the prefilter', () => {
  const corpus = path.resolve(__dirname, '../corpus');
  assert.ok(existsSync(corpus), `${corpus} is missing: the vendored corpus is missing`);
  const yamlFiles = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? yamlFiles(full) : /\.ya?ml$/.test(name) ? [full] : [];
    });
  for (const file of yamlFiles(corpus)) {
    const uri = URI.file(file).toString();
    const text = readFileSync(file, 'utf8');
    assert.deepEqual(parseManifests(uri, text), full(uri, text), file);
  }
});

/** A Deployment whose container holds `containerBody` (indented for a key of the container) and whose pod spec ends with `podTail`. */
const deployment = (containerBody: string, podTail = '', labels = 'app: web') =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    '  namespace: shop',
    '  annotations:',
    '    note: "keeps # this"',
    'spec:',
    '  replicas: 2',
    '  template:',
    '    metadata:',
    `      labels: {${labels}}`,
    '    spec:',
    '      containers:',
    '        - name: web',
    '          ports:',
    '            - name: http',
    '              containerPort: 8080',
    containerBody,
    podTail,
  ]
    .filter((line) => line !== '')
    .join('\n') + '\n';

/** Documents with values the readers never look at: blanked (or, where that is not surely safe, parsed as written), always with the result of a full parse. */
const UNREAD: Record<string, { text: string; blanked: boolean; unread: string }> = {
  'env, resources, probes, volumes': {
    blanked: true,
    unread: 'valueFrom',
    text: deployment(
      [
        '          env:',
        '            - name: A',
        '              value: "x: y"',
        '            - name: B',
        '              valueFrom:',
        '                fieldRef: {fieldPath: status.podIP}',
        '          resources:',
        '            requests: {cpu: 100m, memory: 128Mi}',
        '            limits:',
        '              memory: 1Gi',
        '          readinessProbe:',
        '            httpGet: {path: /healthz, port: http}',
      ].join('\n'),
      ['      volumes:', '        - name: config', '          configMap:', '            name: web-config'].join('\n'),
    ),
  },
  'block scalars and comments': {
    blanked: true,
    unread: 'echo "one"',
    text: deployment(
      [
        '          command: # run it',
        '            - sh',
        '            - -c',
        '            - |',
        '              echo "one"',
        '',
        '              echo two: # not a comment',
        '          # a comment between',
        '          args: >-',
        '            folded',
        '            text',
        '          image: registry/web:1  # trailing',
      ].join('\n'),
    ),
  },
  'flow collections on one line': {
    blanked: true,
    unread: '--listen',
    text: deployment(
      '          args: ["--listen=:8080", \'it\'\'s\', plain words]\n          resources: {limits: {cpu: "1", memory: 1Gi}, requests: {}}\n          tty: true',
    ),
  },
  '- env: as the first key of an item': {
    blanked: true,
    unread: 'value: "1"',
    text: deployment(
      '',
      [
        '      initContainers:',
        '        - env:',
        '          - name: X',
        '            value: "1"',
        '          name: init',
        '          image: busybox',
        '      dnsPolicy: ClusterFirst',
      ].join('\n'),
    ),
  },
  'compact sequences at the key column': {
    blanked: true,
    unread: 'operator: Exists',
    text: deployment(
      '',
      ['      tolerations:', '      - key: a', '        operator: Exists', '      - key: b', '      hostNetwork: false'].join('\n'),
    ),
  },
  'the last value of the document': {
    blanked: true,
    unread: 'emptyDir',
    text: deployment(
      '',
      [
        '      volumes:',
        '        - name: a',
        '          emptyDir: {}',
        '        - name: b',
        '          secret:',
        '            secretName: s',
      ].join('\n'),
    ),
  },
  'the last value of the document ends in a block scalar': {
    blanked: false,
    unread: 'note: |',
    text: deployment('', ['      volumes:', '        - name: a', '          note: |', '            text'].join('\n')),
  },
  CRLF: {
    blanked: true,
    unread: 'name: A',
    text: deployment(
      '          env:\n            - name: A\n              value: b\n          image: x',
      '      dnsPolicy: Default',
    ).replace(/\n/g, '\r\n'),
  },
  'an anchor in an unread value, used by read labels': {
    blanked: false,
    unread: '&team',
    text: deployment(
      '          env:\n            - name: A\n              value: *team\n          image: x',
      '',
      'app: web, team: *team',
    ).replace('note: "keeps # this"', 'note: &team shop'),
  },
  'an alias in an unread value': {
    blanked: false,
    unread: 'value: *nowhere',
    text: deployment('          env:\n            - name: A\n              value: *nowhere\n          image: x'),
  },
  'a tab after a key in an unread value': {
    blanked: false,
    unread: 'value:\tb',
    text: deployment('          env:\n            - name: A\n              value:\tb\n          image: x'),
  },
  'a tab in the indentation of an unread value': {
    blanked: false,
    unread: '\t ',
    text: deployment('          env:\n            - name: A\n\t             value: b\n          image: x'),
  },
  'a flow collection over two lines': {
    blanked: false,
    unread: 'args: [a,',
    text: deployment('          args: [a,\n            b]\n          image: x'),
  },
  'a duplicate key in an unread value': {
    blanked: false,
    unread: 'name: B',
    text: deployment('          env:\n            - name: A\n              name: B\n          image: x'),
  },
  'equal keys written differently (true, True)': {
    blanked: false,
    unread: 'True: b',
    text: deployment('          nodeSelector:\n            true: a\n            True: b\n          image: x'),
  },
  'an invalid escape in an unread value': {
    blanked: false,
    unread: '"\\q"',
    text: deployment('          env:\n            - name: A\n              value: "\\q"\n          image: x'),
  },
  'bad indentation in an unread value': {
    blanked: false,
    unread: 'value: b',
    text: deployment('          env:\n            - name: A\n               value: b\n          image: x'),
  },
  'a dash after a block scalar at its key column': {
    blanked: false,
    unread: '- y',
    text: deployment('          command: |\n            x\n          - y\n          image: x'),
  },
  'a dash after an inline value at its key column': {
    blanked: false,
    unread: 'image: x',
    text: deployment('          image: x\n          - y\n          tty: true'),
  },
  'a more-indented leading blank line in a block scalar': {
    blanked: false,
    unread: 'command: |',
    text: deployment('          command: |\n                \n            x\n          image: x'),
  },
  'a mapping inside a plain scalar': {
    blanked: false,
    unread: 'a: b',
    text: deployment('          image: a: b\n          tty: true'),
  },
  'ports under a key the readers do not read': {
    blanked: true,
    unread: 'containerPort: 9',
    text: deployment('          sidecar:\n            ports:\n              - containerPort: 9\n          image: x'),
  },
  'a Service and a NetworkPolicy with labels and annotations': {
    blanked: true,
    unread: 'a: "1"',
    text:
      [
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  name: web',
        '  labels:',
        '    app: web',
        '  annotations:',
        '    a: "1"',
        'spec:',
        '  sessionAffinity: None',
        '  selector: {app: web}',
        '  ports: [{port: 80, targetPort: http}]',
        '---',
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata:',
        '  name: p',
        '  labels: {a: b}',
        '  annotations:',
        '    x: y',
        'spec:',
        '  podSelector: {matchLabels: {app: web}}',
        '  ingress:',
        '    - ports:',
        '        - port: 8081',
      ].join('\n') + '\n',
  },
  'a CronJob and a Pod': {
    blanked: true,
    unread: 'backoffLimit: 1',
    text: 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      backoffLimit: 1\n      template:\n        metadata:\n          labels: {app: c}\n        spec:\n          restartPolicy: Never\n          containers:\n            - name: c\n              ports: [{containerPort: 1}]\n              env:\n                - {name: a, value: b}\n          dnsPolicy: Default\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {app: p}\n  annotations:\n    a: b\nspec:\n  containers:\n    - name: p\n      env:\n        - name: a\n      ports:\n        - containerPort: 2\n',
  },
};

test('values the readers never look at are blanked before parsing, with the result of a full parse', () => {
  for (const [name, { text, blanked, unread }] of Object.entries(UNREAD)) {
    const expected = full('file:///u.yaml', text);
    assert.deepEqual(parseManifests('file:///u.yaml', text), expected, name);
    assert.deepEqual(parseManifests('file:///u.yaml', text, { keepUnread: true }), expected, name);
    // What yaml is given: each document blanked where it can be, every offset kept.
    const parsed = splitDocuments(text)!
      .map((s) => blankUnreadValues(text, s.start, s.end, READ_KEYS.get(s.kind!)!) ?? text.slice(s.start, s.end))
      .join('');
    assert.equal(parsed.length, text.length, name);
    assert.ok(text.includes(unread), name);
    // An unread value is blanked where that is surely safe; where it is not, it is parsed as written.
    assert.equal(!parsed.includes(unread), blanked, `${name}: ${blanked ? 'blanked' : 'left as written'}`);
  }
  const model = (name: string) => parseManifests('file:///u.yaml', UNREAD[name].text);
  assert.equal(model('env, resources, probes, volumes').pods[0].ports[0].containerPort.value, 8080);
  assert.deepEqual(
    [...model('an anchor in an unread value, used by read labels').pods[0].labels],
    [
      ['app', 'web'],
      ['team', 'shop'],
    ],
  );
  for (const broken of [
    'a tab in the indentation of an unread value',
    'a duplicate key in an unread value',
    'equal keys written differently (true, True)',
    'an invalid escape in an unread value',
    'bad indentation in an unread value',
    'a dash after a block scalar at its key column',
    'a dash after an inline value at its key column',
    'a more-indented leading blank line in a block scalar',
    'a mapping inside a plain scalar',
  ]) {
    assert.deepEqual(
      model(broken).errors.map((e) => e.kind),
      ['syntax'],
      broken,
    );
  }
  assert.deepEqual(
    model('ports under a key the readers do not read').pods[0].ports.map((p) => p.containerPort.value),
    [8080],
  );
  assert.equal(model('a CronJob and a Pod').pods.length, 2);
});

/**
 * Seeded random numbers, and random edits of a text: one to three times, a line (not the last one when
 * `lastLine` is false) is doubled, removed, indented, outdented, loses a character or gets one of `inserts`.
 */
function seededEdits(seed: number) {
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const edit = (text: string, inserts: readonly string[], { lastLine = true } = {}) => {
    for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
      const lines = text.split('\n');
      const at = Math.floor(random() * (lastLine ? lines.length : lines.length - 1));
      const line = lines[at];
      const column = Math.floor(random() * (line.length + 1));
      const r = random();
      if (r < 0.15) lines.splice(at, 0, line);
      else if (r < 0.25) lines.splice(at, 1);
      else if (r < 0.35) lines[at] = ' ' + line;
      else if (r < 0.45) lines[at] = line.replace(/^ /, '');
      else if (r < 0.6) lines[at] = line.slice(0, column) + line.slice(column + 1);
      else lines[at] = line.slice(0, column) + pick(inserts) + line.slice(column);
      text = lines.join('\n');
    }
    return text;
  };
  return { random, pick, edit };
}

test('seeded random edits of generated manifests read the same with and without the fast paths', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-edits-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ws = generateWorkspace(path.join(dir, 'ws'), 120, 11);
  const texts = ws.files
    .map((file) => readFileSync(file, 'utf8'))
    .filter((text) => /kind: (Deployment|StatefulSet|CronJob|Pod|Service|NetworkPolicy)/.test(text));
  const seeded = seededEdits(5);
  const { random, pick } = seeded;
  const inserts = [
    '\t',
    ' ',
    ': ',
    '&a ',
    '*a',
    '"',
    "'",
    '- ',
    '#',
    ' #',
    '{',
    '[',
    ']',
    ',',
    '|',
    '>',
    '"\\q"',
    'true: 1',
    '\r',
    '?',
    '!',
    '%',
    'x: y',
    '\n',
    '\n  ',
    '\n- ',
  ];
  let broken = 0;
  for (let i = 0; i < 400; i++) {
    let text = pick(texts);
    if (random() < 0.2) text = text.replace(/\n/g, '\r\n');
    text = seeded.edit(text, inserts);
    const expected = full('file:///e.yaml', text);
    if (expected.errors.length > 0) broken++;
    assert.deepEqual(parseManifests('file:///e.yaml', text), expected, JSON.stringify(text));
  }
  assert.ok(broken > 50 && broken < 400, `some edits break the documents (${broken})`);
});

test('the reader resolves every alias to the node yaml resolves it to', () => {
  const texts = [
    'a: &x 1\nb: *x\nc: &x {k: &y [1, *x]}\nd: *x\ne: *y\n&z f: [*z, &w g, *w]\nh: *nowhere\n? &k [a]\n: *k\n',
    'x: [&a 1, {b: *a, &a c: *a}, *a]\n',
    'labels: &l {app: a}\nspec:\n  template:\n    metadata:\n      labels: *l\n  selector: {matchLabels: *l}\n',
  ];
  for (const text of texts) {
    const [doc] = parseAllDocuments(text);
    const reader = new YamlReader(new SourceText('file:///a.yaml', text), doc, []);
    let aliases = 0;
    visit(doc, {
      Alias: (_key, alias) => {
        aliases++;
        const target = alias.resolve(doc);
        assert.equal(reader.resolve(alias), isAlias(target) ? undefined : target, `${text}: *${alias.source}`);
      },
    });
    assert.ok(aliases >= 2);
  }
});

test('the alias-bomb check converts only documents whose aliases could reach the limit, and says what converting says', () => {
  const head = 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: &sel {app: a}\n  ports: [{port: 1}]\n';
  const aliases = (n: number) => head + 'x:\n' + '  - *sel\n'.repeat(n);
  const documents = [
    aliases(1),
    aliases(98),
    aliases(99),
    aliases(100),
    aliases(101),
    head + 'x: *nowhere\n',
    'apiVersion: v1\nkind: Service\nmetadata: {name: *n}\nspec: {a: &n x}\n',
    'apiVersion: v1\nkind: Service\nmetadata: &m {name: *m}\n',
    'apiVersion: v1\nkind: Service\nmetadata: {name: s}\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n',
    'apiVersion: v1\nkind: Service\nmetadata: {name: s}\n&k key: v\nother: *k\ne: &e []\nf: [*e, *e]\n',
  ];
  const verdicts = new Set<boolean>();
  for (const text of documents) {
    const [doc] = parseAllDocuments(text);
    let tooFar = false;
    try {
      doc.toJS({ maxAliasCount: 100, mapAsMap: true });
    } catch (error) {
      tooFar = error instanceof ReferenceError && /alias/i.test(error.message);
    }
    const reported = parseManifests('file:///a.yaml', text).errors.some((e) => e.message.startsWith('Too many aliases'));
    assert.equal(reported, tooFar, text);
    verdicts.add(tooFar);
  }
  assert.deepEqual([...verdicts].sort(), [false, true], 'some documents reach the limit, some do not');
});

/** A node tree as the readers see it: classes, values, scalar types, flow, and the ranges they take ([0], [1]). */
function shape(node: unknown, base: number): unknown {
  if (isMap(node))
    return {
      map: node.items.map((p) => [shape(p.key, base), shape(p.value, base)]),
      range: [node.range![0] - base, node.range![1] - base],
      flow: !!node.flow,
    };
  if (isSeq(node))
    return { seq: node.items.map((item) => shape(item, base)), range: [node.range![0] - base, node.range![1] - base], flow: !!node.flow };
  if (isScalar(node))
    return {
      value: node.value,
      type: node.type,
      tag: node.tag,
      anchor: node.anchor,
      range: [node.range![0] - base, node.range![1] - base],
    };
  return { other: String(node) };
}

/** Every document the block reader accepts is one yaml reads without error into the same nodes. */
function assertBlockReaderAgrees(documentText: string, what: string): boolean {
  const base = 1000;
  const mine = readBlockDocument(documentText, base);
  if (!mine) return false;
  const docs = parseAllDocuments(documentText, { uniqueKeys: false });
  assert.equal(docs.length, 1, what);
  assert.deepEqual(docs[0].errors, [], what);
  assert.deepEqual(shape(mine, base), shape(docs[0].contents, 0), what);
  return true;
}

/** The documents of a file as the parser gets them: each slice to read, as written and with its unread values blanked. */
function readSlices(text: string): string[] {
  return (splitDocuments(text) ?? [])
    .filter((s) => !s.skippable)
    .flatMap((s) => {
      const readKeys = s.kind === undefined ? undefined : READ_KEYS.get(s.kind);
      const blanked = readKeys && blankUnreadValues(text, s.start, s.end, readKeys);
      return [text.slice(s.start, s.end), ...(blanked ? [blanked] : [])];
    });
}

const BLOCK_EDGES: Record<string, string> = {
  'anchor and alias': 'a: &x 1\nb: *x\n',
  'merge key': 'a: {x: 1}\nb:\n  <<: {y: 2}\n  z: 3\n',
  tag: 'a: !!str 80\nb: !!int "8008"\n',
  'Source comment': '---\n# Source: chart/templates/svc.yaml\napiVersion: v1\nkind: Service\n',
  'comment among the content': 'a:\n  b: 1\n  # c\nd: 2\n',
  'trailing comment': 'a: b # c\nd: "e" # f\ng: [h] # i\n',
  'duplicate key': 'a: 1\na: 2\n',
  'duplicate flow key': 'a: {b: 1, b: 2}\n',
  'block scalar': 'a: |\n  x\nb: >-\n  y\n',
  'multi-line plain': 'a: b\n  c\n',
  'multi-line quoted': 'a: "b\n  c"\n',
  escape: 'a: "b\\tc"\n',
  'single quotes': "a: 'it''s'\nb: ''\n",
  numbers: 'a: 80\nb: 0x1F\nc: 1.5\nd: -1\ne: 012\nf: 1e3\ng: .inf\nh: 0o17\ni: +1\nj: 123456789012345678\n',
  'nulls and booleans': 'a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: true\ng: True\nh: FALSE\ni: yes\nj: off\n',
  'keys that are not strings': '80: a\n',
  'a true key': 'true: a\n',
  'a null key': 'null: a\n',
  'a quoted key': '"a": 1\n',
  'flow collections': 'a: [b, "c", {d: 1, e: [f]}, {}]\ng: {}\nh: []\ni: {j: {k: l}}\n',
  'flow trailing comma': 'a: [b, c,]\n',
  'flow pair in a sequence': 'a: [b: c]\n',
  'flow over two lines': 'a: [b,\n  c]\n',
  "sequence at the key's column": 'a:\n- b\n- c: d\n  e: f\nx: y\n',
  'nested compact maps': 'a:\n  - b: 1\n    c:\n      - d: 2\n        e: [3]\n  - f\n',
  'deeper item indent': 'a:\n  -   b: 1\n',
  'item without space': 'a:\n  -b\n',
  'empty item': 'a:\n  -\n    b: 1\n',
  'nested sequence item': 'a:\n  - - b\n',
  'value on the next line': 'a:\n  b\n',
  'plain with colon': 'a: b:c\nd: http://e/f\ng: h: i\n',
  'plain with hash': 'a: b#c\nd: e #f\n',
  'indicator first': 'a: -b\nc: ?d\ne: @f\ng: `h\n',
  tabs: 'a:\tb\n',
  CRLF: 'a: b\r\nc: d\r\n',
  'no line break at the end': 'a: b',
  'marker with content': '--- a: b\n',
  directive: '%YAML 1.2\n---\na: b\n',
  'document end marker': 'a: b\n...\n',
  'indented top level': '  a: b\n',
  'sequence top level': '- a\n',
  'blank lines and trailing spaces': 'a: b   \n\n   \nc:   \n    \nd:\n  e: f  \n\n',
  'odd indentation': 'a:\n   b: 1\n   c:\n     - d\n',
  'less indented continuation': 'a:\n    b: 1\n  c: 2\n',
  unicode: 'a: "ünïcødé ✓"\nb: 日本\n',
};

test('the block reader builds the nodes yaml builds, or leaves the document to yaml', () => {
  let accepted = 0;
  for (const [name, text] of Object.entries(BLOCK_EDGES)) {
    if (assertBlockReaderAgrees(text, name)) accepted++;
    assert.deepEqual(
      parseManifests('file:///b.yaml', `apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  x:\n${text.replace(/^/gm, '    ')}`),
      full('file:///b.yaml', `apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  x:\n${text.replace(/^/gm, '    ')}`),
      name,
    );
  }
  for (const name of [
    'anchor and alias',
    'merge key',
    'tag',
    'Source comment',
    'duplicate key',
    'duplicate flow key',
    'block scalar',
    'multi-line plain',
    'escape',
    'keys that are not strings',
    'a true key',
    'tabs',
    'CRLF',
    'comment among the content',
  ]) {
    assert.equal(readBlockDocument(BLOCK_EDGES[name]), undefined, `${name} is left to yaml`);
  }
  for (const name of [
    'flow collections',
    "sequence at the key's column",
    'nested compact maps',
    'trailing comment',
    'single quotes',
    'blank lines and trailing spaces',
    'unicode',
  ]) {
    assert.ok(readBlockDocument(BLOCK_EDGES[name]), `${name} is read`);
  }
  assert.ok(accepted >= 10, `${accepted} edge cases read`);
});

for (const profile of PROFILES) {
  test(`${profile} workspace and the corpus: every document the block reader accepts is yaml's, and seeded random edits of them too`, (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'port-lens-block-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const ws = generateProfile(profile, path.join(dir, 'ws'), 150);
    const texts = ws.files.map((file) => readFileSync(file, 'utf8'));
    let documents = 0;
    let accepted = 0;
    for (const text of texts) {
      for (const documentText of readSlices(text)) {
        documents++;
        if (assertBlockReaderAgrees(documentText, documentText)) accepted++;
      }
      assert.deepEqual(parseManifests('file:///g.yaml', text), full('file:///g.yaml', text));
    }
    if (profile === 'port-heavy')
      assert.ok(accepted > documents * 0.8, `most documents are read by the block reader (${accepted} of ${documents})`);
    const corpus = path.resolve(__dirname, '../corpus/real');
    for (const name of readdirSync(corpus).filter((n) => n.endsWith('.yaml'))) {
      for (const documentText of readSlices(readFileSync(path.join(corpus, name), 'utf8'))) assertBlockReaderAgrees(documentText, name);
    }
    const seeded = seededEdits(profile === 'port-heavy' ? 23 : 29);
    const { pick } = seeded;
    const inserts = [
      ' ',
      ': ',
      '&a ',
      '*a',
      '!!str ',
      '"',
      "'",
      "''",
      '- ',
      '-',
      '#',
      ' #',
      '{',
      '}',
      '[',
      ']',
      ',',
      ', ',
      '|',
      '>',
      '~',
      'null',
      'true',
      '0x1',
      '1.5',
      '-1',
      '08',
      '<<: ',
      'x: y',
      '\n',
      '\n  ',
      '\n- ',
      '\n#',
      '---',
      '...',
      '%',
    ];
    const documentTexts = texts.flatMap(readSlices);
    let mutantsAccepted = 0;
    for (let i = 0; i < 600; i++) {
      let text = pick(documentTexts);
      text = seeded.edit(text, inserts, { lastLine: false });
      if (assertBlockReaderAgrees(text, JSON.stringify(text))) mutantsAccepted++;
      assert.deepEqual(parseManifests('file:///m.yaml', text), full('file:///m.yaml', text), JSON.stringify(text));
    }
    assert.ok(mutantsAccepted > (profile === 'port-heavy' ? 50 : 25), `edited documents read by the block reader: ${mutantsAccepted}`);
  });
}
