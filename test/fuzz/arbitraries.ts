import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import type { FuzzCase } from './invariants';

const ROOT = path.resolve(__dirname, '../..');
const CORPUS = path.resolve(ROOT, 'test/corpus/real');
const EXAMPLES = path.join(ROOT, 'examples');

const uriOf = (name: string) => `file:///ws/${name}`;

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return yamlFilesUnder(full);
      return /\.ya?ml$/.test(name) ? [full] : [];
    });
}

/** The real manifests: each corpus file alone; each example folder as one workspace. */
interface RealWorkspace {
  name: string;
  files: Array<{ name: string; text: string }>;
}

export function realWorkspaces(): RealWorkspace[] {
  const corpus = yamlFilesUnder(CORPUS).map((file) => ({
    name: path.basename(file),
    files: [{ name: path.basename(file), text: readFileSync(file, 'utf8') }],
  }));
  const examples = readdirSync(EXAMPLES)
    .sort()
    .map((folder) => ({
      name: `examples/${folder}`,
      files: yamlFilesUnder(path.join(EXAMPLES, folder)).map((file) => ({
        name: path.relative(EXAMPLES, file),
        text: readFileSync(file, 'utf8'),
      })),
    }));
  return [...corpus, ...examples];
}

// ---- mutations -------------------------------------------------------------------------------

/** Values written in place of a scalar: wrong types, out-of-range and quoted numbers, YAML oddities. */
const HOSTILE_SCALARS = [
  'true',
  'false',
  '"x"',
  'x',
  '-1',
  '0',
  '99999',
  '65536',
  '"10022"',
  "'80'",
  '1e3',
  '0x50',
  '0o17',
  '1.5',
  '.inf',
  '.nan',
  'null',
  '~',
  '',
  '[]',
  '{}',
  '[1, 2]',
  '{a: b}',
  '!!binary aGVsbG8=',
  '!!str 80',
  '!!int "80"',
  '*nowhere',
  '&x 80',
  '"\\u0000"',
  '|\n  80',
  '>-\n  80',
  "'é😀'",
  '2001-12-14',
  '<<',
  '"a\tb"',
  '? a',
  '80 # comment',
  '8_0',
  '+80',
  '080',
];

/** Keys a mutation renames to or inserts: the ones the analysis reads, at the wrong place, and misspelt. */
const KEYS = [
  'port',
  'ports',
  'containerPort',
  'targetPort',
  'endPort',
  'protocol',
  'name',
  'kind',
  'apiVersion',
  'metadata',
  'spec',
  'namespace',
  'selector',
  'podSelector',
  'namespaceSelector',
  'matchLabels',
  'matchExpressions',
  'ingress',
  'egress',
  'from',
  'to',
  'items',
  'template',
  'containers',
  'initContainers',
  'labels',
  'policyTypes',
  'nodePort',
  'ipBlock',
  'prot',
  'Port',
  '<<',
  '"port"',
  '? port',
];

type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'deleteLine'; at: number }
  | { op: 'renameKey'; at: number; key: string }
  | { op: 'swapScalar'; at: number; value: string }
  | { op: 'duplicateLine'; at: number }
  | { op: 'deepNest'; at: number; depth: number; style: 'flowSeq' | 'flowMap' | 'block' }
  | { op: 'endPortBelow'; at: number; by: number }
  | { op: 'selfAnchor'; at: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'indent'; at: number; delta: number }
  | { op: 'crlf' }
  | { op: 'aliasBomb'; at: number };

const KEY_VALUE = /^(\s*(?:- )?)([^\s:#][^:#]*?):(?:[ \t]+(.*))?$/;

function mutateLine(text: string, at: number, pick: (line: string) => boolean, change: (line: string) => string): string {
  const lines = text.split('\n');
  const candidates = lines.map((line, i) => (pick(line) ? i : -1)).filter((i) => i >= 0);
  if (candidates.length === 0) return text;
  const i = candidates[at % candidates.length];
  lines[i] = change(lines[i]);
  return lines.join('\n');
}

function nested(depth: number, style: 'flowSeq' | 'flowMap' | 'block', indent: string): string {
  if (style === 'flowSeq') return '['.repeat(depth) + ']'.repeat(depth);
  if (style === 'flowMap') return '{a: '.repeat(depth) + '1' + '}'.repeat(depth);
  return `\n${indent}  ${'- '.repeat(depth)}80`; // compact block sequences: one level per "- "
}

function applyMutation(text: string, m: Mutation): string {
  switch (m.op) {
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'deleteLine':
      return mutateLine(
        text,
        m.at,
        () => true,
        () => '\0DELETE',
      ).replace(/\0DELETE\n?/, '');
    case 'renameKey':
      return mutateLine(
        text,
        m.at,
        (l) => KEY_VALUE.test(l),
        (l) => l.replace(KEY_VALUE, (_, lead, _k, v) => `${lead}${m.key}:${v === undefined ? '' : ` ${v}`}`),
      );
    case 'swapScalar':
      return mutateLine(
        text,
        m.at,
        (l) => KEY_VALUE.exec(l)?.[3] !== undefined,
        (l) => l.replace(KEY_VALUE, (_, lead, k) => `${lead}${k}: ${m.value}`),
      );
    case 'duplicateLine':
      return mutateLine(
        text,
        m.at,
        (l) => KEY_VALUE.test(l),
        (l) => `${l}\n${l.replace(/^(\s*)- /, '$1  ')}`,
      );
    case 'deepNest':
      return mutateLine(
        text,
        m.at,
        (l) => KEY_VALUE.test(l),
        (l) => l.replace(KEY_VALUE, (_, lead, k) => `${lead}${k}: ${nested(m.depth, m.style, lead.replace('-', ' '))}`),
      );
    case 'endPortBelow':
      return mutateLine(
        text,
        m.at,
        (l) => /^\s*(- )?port: \d+/.test(l),
        (l) => {
          const port = Number(/port: (\d+)/.exec(l)![1]);
          return `${l}\n${l.replace(/^(\s*)(- )?.*$/, (_, s, dash) => `${s}${dash ? '  ' : ''}endPort: ${port - m.by}`)}`;
        },
      );
    case 'selfAnchor':
      return mutateLine(
        text,
        m.at,
        (l) => KEY_VALUE.test(l),
        (l) => l.replace(KEY_VALUE, (_, lead, k) => `${lead}${k}: &self [*self, {port: *self}]`),
      );
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'indent':
      return mutateLine(
        text,
        m.at,
        (l) => l.trim() !== '',
        (l) => (m.delta > 0 ? ' '.repeat(m.delta) + l : l.slice(Math.min(-m.delta, /^ */.exec(l)![0].length))),
      );
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n');
    case 'aliasBomb': {
      const bomb = [
        'b0: &b0 [80, 80, 80, 80, 80, 80, 80, 80, 80, 80]',
        ...Array.from({ length: 8 }, (_, i) => `b${i + 1}: &b${i + 1} [${Array(10).fill(`*b${i}`).join(', ')}]`),
      ];
      return mutateLine(
        text,
        m.at,
        (l) => /^\S/.test(l) && KEY_VALUE.test(l),
        (l) => `${bomb.join('\n')}\n${l}`,
      ).replace(/^(\s*(?:- )?(?:ports|containers|items|ingress|egress|from): *)$/m, '$1 *b8');
    }
  }
}

const position = fc.nat({ max: 1_000_000 });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: position }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('deleteLine' as const), at: position }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('renameKey' as const), at: position, key: fc.constantFrom(...KEYS) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('swapScalar' as const), at: position, value: fc.constantFrom(...HOSTILE_SCALARS) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('duplicateLine' as const), at: position }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('deepNest' as const),
      at: position,
      depth: fc.oneof({ weight: 30, arbitrary: fc.integer({ min: 1, max: 200 }) }, { weight: 1, arbitrary: fc.constant(10_000) }),
      style: fc.constantFrom('flowSeq' as const, 'flowMap' as const, 'block' as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('endPortBelow' as const), at: position, by: fc.integer({ min: -2, max: 100 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('selfAnchor' as const), at: position }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('insert' as const),
      at: position,
      text: fc.constantFrom('\n', ': ', '- ', '"', "'", '{', ']', '#', '&a ', '*a', '\t', '\0', '\r', '\n---\n', ' '),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('indent' as const), at: position, delta: fc.integer({ min: -4, max: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('crlf' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('aliasBomb' as const), at: position }) },
);

const describe = (m: Mutation) => JSON.stringify(m);

/** Whole documents of a multi-document file, each with the `---` line that opens it. */
function documents(text: string): string[] {
  return text.split(/^(?=---)/m);
}

const probes = fc.array(
  fc.record({
    file: fc.nat({ max: 10 }),
    position: fc.record({
      line: fc.oneof(fc.nat({ max: 400 }), fc.constant(1e9)),
      character: fc.oneof(fc.nat({ max: 60 }), fc.constant(1e9)),
    }),
  }),
  { maxLength: 3 },
);

/**
 * A real workspace with one file mutated. Large corpus files are cut to a window of consecutive
 * documents (so the run stays fast) except now and then, when the whole file is used.
 */
export function mutatedReal(workspaces: RealWorkspace[] = realWorkspaces()): fc.Arbitrary<FuzzCase> {
  return fc
    .record({
      workspace: fc.nat({ max: workspaces.length - 1 }),
      file: fc.nat(),
      window: fc.oneof(
        { weight: 40, arbitrary: fc.record({ start: fc.nat(), count: fc.integer({ min: 1, max: 10 }) }) },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
      probes,
    })
    .map(({ workspace, file, window, mutations, probes }) => {
      const ws = workspaces[workspace];
      const target = file % ws.files.length;
      let label = `${ws.name}`;
      const files: Record<string, string> = {};
      ws.files.forEach((f, i) => {
        let text = f.text;
        if (i === target) {
          if (window) {
            const docs = documents(text);
            const start = window.start % docs.length;
            text = docs.slice(start, start + window.count).join('');
            label += ` ${f.name} documents ${start}..${Math.min(docs.length, start + window.count) - 1}`;
          } else label += ` ${f.name} (whole)`;
          text = mutations.reduce(applyMutation, text);
          label += ` mutated by ${mutations.map(describe).join(', ')}`;
        }
        files[uriOf(f.name)] = text;
      });
      return { label, files, probes };
    });
}

// ---- random YAML -------------------------------------------------------------------------------

const TOKENS = [
  'a',
  'port',
  'ports',
  'containerPort',
  'kind',
  'apiVersion',
  'v1',
  'Service',
  'NetworkPolicy',
  'Pod',
  'List',
  'items',
  'spec',
  ':',
  ' ',
  '  ',
  '\n',
  '- ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&a',
  '*a',
  '!!str',
  '!!map',
  '!tag',
  '"',
  "'",
  '#',
  '|',
  '>',
  '---',
  '...',
  '%YAML 1.2\n',
  '%TAG ! tag:x,2000:\n',
  '\t',
  '\r\n',
  '\r',
  '1',
  '80',
  '-1',
  '0x50',
  '1e3',
  'true',
  'null',
  '~',
  '?',
  '<<',
  '\0',
  '\ufeff',
  '😀',
  '\ud800',
  '\\',
  'é',
  '\u2028',
  '@',
  '`',
  '%',
];

/** Token soup: mostly not YAML, sometimes after a manifest head so the reader goes deep. */
const tokenSoup: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(
      '',
      'apiVersion: v1\nkind: Service\n',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nspec:\n  ',
      'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - ',
    ),
    fc.array(fc.constantFrom(...TOKENS), { maxLength: 120 }),
  )
  .map(([head, tokens]) => head + tokens.join(''));

// Small value sets so that selectors select, Services forward and policies match or miss.
const labelsArb = fc.dictionary(fc.constantFrom('app', 'tier', 'role'), fc.constantFrom('a', 'b', 'web', ''), { maxKeys: 2 });
const portNumber = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(22, 80, 8080, 10022, 9090, 53, 5432) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 70000, 1.5) },
);
const portName = fc.constantFrom(
  'ssh',
  'http',
  'web',
  'metrics',
  'http-metrics',
  'server-http',
  'dns',
  '80',
  'Bad_Name',
  'a-very-long-port-name',
);
const protocolArb = fc.option(fc.constantFrom('TCP', 'UDP', 'SCTP', 'tcp', 'ICMP'), { nil: undefined, freq: 2 });
const namespaceArb = fc.option(fc.constantFrom('a', 'b'), { nil: undefined });
const portRef = fc.oneof(portNumber, portName, portNumber.map(String));

const containerPort = fc.record(
  { containerPort: portNumber, name: fc.option(portName, { nil: undefined }), protocol: protocolArb },
  { requiredKeys: ['containerPort'] },
);

const workload = fc.record({
  kind: fc.constantFrom('Deployment', 'Pod', 'StatefulSet', 'CronJob'),
  name: fc.constantFrom('web', 'db', 'cache'),
  namespace: namespaceArb,
  labels: labelsArb,
  ports: fc.array(containerPort, { maxLength: 3 }),
  sidecar: fc.boolean(),
});

const selector = fc.oneof(
  labelsArb.map((matchLabels) => ({ matchLabels })),
  fc.record({
    matchExpressions: fc.array(
      fc.record({
        key: fc.constantFrom('app', 'tier'),
        operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'Bogus'),
        values: fc.array(fc.constantFrom('a', 'b', 'web'), { maxLength: 2 }),
      }),
      { maxLength: 2 },
    ),
  }),
  fc.constant({}),
);

const policyPort = fc.record(
  { port: portRef, endPort: portNumber, protocol: protocolArb, to: fc.constant([{ podSelector: { matchLabels: { app: 'a' } } }]) },
  { requiredKeys: [] },
);

const peer = fc.record(
  { podSelector: selector, namespaceSelector: selector, ipBlock: fc.constant({ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }) },
  { requiredKeys: [] },
);

const rule = (peers: 'from' | 'to') =>
  fc.record(
    {
      [peers]: fc.array(peer, { maxLength: 2 }),
      ports: fc.oneof(fc.array(policyPort, { maxLength: 3 }), fc.constant(null), fc.constant([])),
    },
    { requiredKeys: [] },
  );

const networkPolicy = fc.record(
  {
    name: fc.constantFrom('allow', 'deny'),
    namespace: namespaceArb,
    podSelector: selector,
    policyTypes: fc.subarray(['Ingress', 'Egress']),
    ingress: fc.array(rule('from'), { maxLength: 2 }),
    egress: fc.array(rule('to'), { maxLength: 2 }),
  },
  { requiredKeys: ['name', 'podSelector'] },
);

const servicePort = fc.record(
  { port: portNumber, targetPort: portRef, nodePort: fc.constantFrom(30022, 30080), name: portName, protocol: protocolArb },
  { requiredKeys: ['port'] },
);

const service = fc.record({
  name: fc.constantFrom('web', 'db'),
  namespace: namespaceArb,
  type: fc.constantFrom('ClusterIP', 'NodePort', 'ExternalName'),
  selector: labelsArb,
  ports: fc.array(servicePort, { maxLength: 3 }),
});

const namespace = fc.record({ name: fc.constantFrom('a', 'b'), labels: labelsArb });

type Obj = Record<string, unknown>;
const metadata = (o: { name: string; namespace?: string }, labels?: Obj) => ({
  name: o.name,
  ...(o.namespace ? { namespace: o.namespace } : {}),
  ...(labels ? { labels } : {}),
});

const manifest: fc.Arbitrary<Obj> = fc.oneof(
  workload.map((w) => {
    const podSpec = {
      containers: [{ name: 'main', image: 'x', ports: w.ports }],
      ...(w.sidecar
        ? { initContainers: [{ name: 'side', restartPolicy: 'Always', ports: [{ containerPort: 9090, name: 'metrics' }] }] }
        : {}),
    };
    const template = { metadata: { labels: w.labels }, spec: podSpec };
    if (w.kind === 'Pod') return { apiVersion: 'v1', kind: 'Pod', metadata: metadata(w, w.labels), spec: podSpec };
    if (w.kind === 'CronJob')
      return { apiVersion: 'batch/v1', kind: 'CronJob', metadata: metadata(w), spec: { jobTemplate: { spec: { template } } } };
    return { apiVersion: 'apps/v1', kind: w.kind, metadata: metadata(w), spec: { selector: { matchLabels: w.labels }, template } };
  }),
  service.map((s) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(s),
    spec: { type: s.type, selector: s.selector, ports: s.ports },
  })),
  networkPolicy.map(({ name, namespace, ...spec }) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata({ name, namespace }),
    spec,
  })),
  namespace.map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n.name, labels: n.labels } })),
);

const style = fc.record({
  collectionStyle: fc.constantFrom('any' as const, 'block' as const, 'flow' as const),
  defaultStringType: fc.constantFrom('PLAIN' as const, 'QUOTE_DOUBLE' as const, 'QUOTE_SINGLE' as const),
  indent: fc.constantFrom(2, 4),
  indentSeq: fc.boolean(),
  crlf: fc.boolean(),
  list: fc.boolean(),
});

/** Generated workspaces of workloads, Services, policies and namespaces, in 1–3 files, in varied YAML styles. */
const generatedWorkspace: fc.Arbitrary<{ label: string; files: Record<string, string> }> = fc
  .record({ files: fc.array(fc.array(manifest, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 3 }), style })
  .map(({ files, style: s }) => {
    const write = (o: unknown) =>
      stringify(o, {
        collectionStyle: s.collectionStyle,
        defaultStringType: s.defaultStringType,
        defaultKeyType: 'PLAIN',
        indent: s.indent,
        indentSeq: s.indentSeq,
      });
    const texts = files.map((objects) => {
      const text = s.list ? write({ apiVersion: 'v1', kind: 'List', items: objects }) : objects.map(write).join('---\n');
      return s.crlf ? text.replace(/\n/g, '\r\n') : text;
    });
    return { label: `generated ${JSON.stringify(s)}`, files: Object.fromEntries(texts.map((t, i) => [uriOf(`gen${i}.yaml`), t])) };
  });

/** Random YAML: token soup, generated workspaces, and generated workspaces mutated like the real ones. */
export const randomYaml: fc.Arbitrary<FuzzCase> = fc.oneof(
  fc
    .record({ text: tokenSoup, probes })
    .map(({ text, probes }) => ({ label: 'token soup', files: { [uriOf('soup.yaml')]: text }, probes })),
  fc.record({ ws: generatedWorkspace, probes }).map(({ ws, probes }) => ({ ...ws, probes })),
  fc
    .record({ ws: generatedWorkspace, mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }), which: fc.nat(), probes })
    .map(({ ws, mutations, which, probes }) => {
      const uris = Object.keys(ws.files);
      const uri = uris[which % uris.length];
      return {
        label: `${ws.label} ${uri} mutated by ${mutations.map(describe).join(', ')}`,
        files: { ...ws.files, [uri]: mutations.reduce(applyMutation, ws.files[uri]) },
        probes,
      };
    }),
);

/** Everything the fuzzer feeds the core. */
export function anyCase(workspaces: RealWorkspace[] = realWorkspaces()): fc.Arbitrary<FuzzCase> {
  return fc.oneof(randomYaml, mutatedReal(workspaces));
}
