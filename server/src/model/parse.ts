import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node, type YAMLMap } from 'yaml';
import { YamlReader } from './yamlReader';
import { readBlockDocument } from './blockReader';
import { intern } from './intern';
import { isReadApiVersion } from './apiGroups';
import { isReadKind, isSkippableDocument, REFERENCE_KINDS, ROUTE_KINDS, splitDocuments, type DocumentSlice } from './prefilter';
import { readProbes, readReference } from './referenceReaders';
import { SourceText, type Position, type Span } from './source';
import { blankUnreadValues, type ReadKeys } from './unreadValues';
import { annotationCodes, suppressionComments } from './suppressionComments';
import { CALICO_KINDS, isDialectGroup, readCalicoPolicy, readCiliumPolicy } from './readDialects';
import {
  DEFAULT_PROTOCOL,
  isProtocol,
  emptyModel,
  type ContainerPort,
  type FileModel,
  type LabelRequirement,
  type LabelSelector,
  type MisplacedField,
  type NetworkPolicy,
  type ObjectRef,
  type PolicyPeer,
  type PolicyPort,
  type PolicyRule,
  type Probe,
  type Protocol,
  type ServicePort,
  type WorkloadKind,
} from './manifest';

/** Where each workload kind keeps its pod template (the path to the object holding `metadata` and `spec`). */
const POD_TEMPLATE_PATH: Record<WorkloadKind, string[]> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** The annotation that silences rule codes for a whole object. */
export const IGNORE_ANNOTATION = 'port-lens.io/ignore';

const PROBE_KEYS = ['livenessProbe', 'readinessProbe', 'startupProbe'];

/**
 * The keys the readers below look at in each mapping they walk, by kind (the values of all other
 * keys there are blanked before parsing: see unreadValues.ts). Mappings read whole (labels,
 * selectors, port entries, everything in a policy's rules) are not listed. A reader that asks a
 * listed mapping for a key missing here fails test/unit/readKeys.test.ts.
 */
export const READ_KEYS: ReadonlyMap<string, ReadKeys> = (() => {
  const readKeys = new Map<string, ReadKeys>();
  const keys = (entries: Record<string, string[]>): ReadKeys =>
    new Map(Object.entries(entries).map(([path, read]) => [path, new Set(read)]));
  const objectKeys = ['apiVersion', 'kind', 'metadata', 'spec'];
  const refKeys = ['name', 'namespace', 'annotations'];
  for (const [kind, templatePath] of Object.entries(POD_TEMPLATE_PATH)) {
    const template = templatePath.join('.');
    const at = (key: string) => (template ? `${template}.${key}` : key);
    const entries: Record<string, string[]> = {
      '': objectKeys,
      metadata: refKeys,
      'metadata.annotations': [IGNORE_ANNOTATION],
      [at('metadata')]: template ? ['labels'] : [...refKeys, 'labels'],
      [at('spec')]: ['containers', 'initContainers', 'hostNetwork'],
      [at('spec.containers[]')]: ['name', 'ports', ...PROBE_KEYS],
      [at('spec.initContainers[]')]: ['name', 'ports', 'restartPolicy', ...PROBE_KEYS],
    };
    // The maps on the way to the template hold only the next key of the path.
    for (let i = 0; i < templatePath.length - 1; i++) entries[templatePath.slice(0, i + 1).join('.')] = [templatePath[i + 1]];
    readKeys.set(kind, keys(entries));
  }
  const annotations = { 'metadata.annotations': [IGNORE_ANNOTATION] };
  readKeys.set('Service', keys({ '': objectKeys, metadata: [...refKeys, 'labels'], ...annotations, spec: ['type', 'selector', 'ports'] }));
  // Kubernetes' and Calico's NetworkPolicy share the kind name.
  const calicoKeys = ['selector', 'types', 'namespaceSelector', 'serviceAccountSelector', 'doNotTrack', 'preDNAT'];
  readKeys.set(
    'NetworkPolicy',
    keys({ '': objectKeys, metadata: refKeys, ...annotations, spec: ['podSelector', 'policyTypes', 'ingress', 'egress', ...calicoKeys] }),
  );
  readKeys.set(
    'GlobalNetworkPolicy',
    keys({ '': objectKeys, metadata: refKeys, ...annotations, spec: ['ingress', 'egress', ...calicoKeys] }),
  );
  readKeys.set('Ingress', keys({ '': objectKeys, metadata: refKeys, ...annotations, spec: ['defaultBackend', 'rules'] }));
  for (const kind of ROUTE_KINDS)
    readKeys.set(
      kind,
      keys({ '': objectKeys, metadata: refKeys, ...annotations, spec: ['rules'], 'spec.rules[]': ['matches', 'backendRefs'] }),
    );
  const endpointKeys = ['port', 'targetPort', 'portNumber'];
  const monitorSpec = (endpoints: string) => ({
    spec: ['selector', 'namespaceSelector', endpoints],
    [`spec.${endpoints}[]`]: endpointKeys,
  });
  readKeys.set('ServiceMonitor', keys({ '': objectKeys, metadata: refKeys, ...annotations, ...monitorSpec('endpoints') }));
  readKeys.set('PodMonitor', keys({ '': objectKeys, metadata: refKeys, ...annotations, ...monitorSpec('podMetricsEndpoints') }));
  return readKeys;
})();

const HELM_SOURCE = /^\s*Source:\s*(\S.*?)\s*$/m;
const LOOKS_LIKE_MANIFEST = /^\s*apiVersion\s*:[\s\S]*^\s*kind\s*:|^\s*kind\s*:[\s\S]*^\s*apiVersion\s*:/m;

export interface ParseOptions {
  /** Parse every document whole, also those the prefilter can tell hold nothing to read (the plain, slow way). */
  everyDocument?: boolean;
  /** Parse the documents read whole, without blanking the values they never read. */
  keepUnread?: boolean;
  /** Set to true when any document was parsed by `yaml` (not left unparsed or read by the block reader): a costly file. */
  cost?: { yaml: boolean };
}

/**
 * Parses the YAML documents of a file into the objects the analysis needs. Documents that surely
 * hold none (a ConfigMap, a CRD) are left unparsed; the result is the same as parsing them all.
 * Never throws.
 */
export function parseManifests(uri: string, text: string, options: ParseOptions = {}): FileModel {
  const model: FileModel = emptyModel(uri);
  const suppressions = suppressionComments(text);
  if (suppressions.length > 0) model.suppressions = suppressions;
  const slices = options.everyDocument ? undefined : splitDocuments(text);
  if (!slices) {
    if (options.cost) options.cost.yaml = true;
    readDocuments(model, new SourceText(uri, text), 0, text.length);
    return model;
  }
  let source: SourceText | undefined;
  // Neighbouring documents to read are parsed together, as one piece of the file.
  for (let i = 0; i < slices.length; i++) {
    if (slices[i].skippable) continue;
    let j = i;
    while (j + 1 < slices.length && !slices[j + 1].skippable) j++;
    source ??= new SourceText(uri, text);
    if (!options.keepUnread && readBlockDocuments(model, source, slices, i, j)) {
      i = j;
      continue;
    }
    if (options.cost) options.cost.yaml = true;
    const blanked = options.keepUnread ? undefined : blankedPiece(text, slices, i, j);
    let whole = blanked !== undefined && readDocuments(model, source, slices[i].start, slices[j].end, blanked);
    // An error where values were blanked is read, and reported, from the text as written.
    if (!whole) whole = readDocuments(model, source, slices[i].start, slices[j].end);
    // A broken document may run on into the next ones (an unclosed quote does): read the file whole.
    if (!whole) return parseManifests(uri, text, { everyDocument: true, cost: options.cost });
    i = j;
  }
  return model;
}

/**
 * Reads slices i..j (their unread values blanked) with the block-subset reader, which builds the
 * nodes `yaml` would; false, with nothing read, when any of them is outside its subset.
 */
function readBlockDocuments(model: FileModel, source: SourceText, slices: DocumentSlice[], i: number, j: number): boolean {
  const text = source.text;
  const contents: YAMLMap[] = [];
  for (let k = i; k <= j; k++) {
    const { start, end, kind } = slices[k];
    const readKeys = kind === undefined ? undefined : READ_KEYS.get(kind);
    const map = readBlockDocument((readKeys && blankUnreadValues(text, start, end, readKeys)) ?? text.slice(start, end), start);
    if (!map) return false;
    contents.push(map);
  }
  for (const map of contents) {
    // No alias, no error, no `Source:` comment: what readDocuments does with a parsed document, less what cannot apply.
    const reader = new YamlReader(source, { contents: map } as unknown as Document.Parsed, model.errors, 0);
    try {
      if (readObject(reader, map, model, undefined)) reader.reportDuplicateKeys();
    } catch (error) {
      model.errors.push({ message: `Document could not be read: ${(error as Error).message}`, range: reader.range(map), kind: 'type' });
    }
  }
  return true;
}

/** The text of slices i..j with the unread values of their documents blanked; undefined if none has any. */
function blankedPiece(text: string, slices: DocumentSlice[], i: number, j: number): string | undefined {
  let piece = '';
  let blanked = false;
  for (let k = i; k <= j; k++) {
    const { start, end, kind } = slices[k];
    const readKeys = kind === undefined ? undefined : READ_KEYS.get(kind);
    const documentText = readKeys && blankUnreadValues(text, start, end, readKeys);
    if (documentText !== undefined) blanked = true;
    piece += documentText ?? text.slice(start, end);
  }
  // Every offset must stay: the slices are contiguous and blanking keeps lengths.
  return blanked && piece.length === slices[j].end - slices[i].start ? piece : undefined;
}

/**
 * Parses the documents in [start, end) of the source (or `written`, the same text with unread
 * values blanked) and reads their objects into the model; false if any is broken — then, for
 * blanked text, nothing was read.
 */
function readDocuments(model: FileModel, source: SourceText, start: number, end: number, blanked?: string): boolean {
  const text = source.text;
  const piece = blanked ?? (start === 0 && end === text.length ? text : text.slice(start, end));
  let docs: Document.Parsed[];
  try {
    // Duplicate keys are the reader's to report (YamlReader.pairs): one slip must not lose the document.
    const parsed = parseAllDocuments(piece, { prettyErrors: false, uniqueKeys: false });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (error) {
    if (blanked !== undefined) return false;
    // The yaml library recurses once per level of nesting, so thousands of levels overflow the
    // stack and lose the whole piece: read it document by document, so that only the deep one is lost.
    const starts = documentStarts(piece);
    if (starts.length > 1) {
      return starts.map((at, i) => readDocuments(model, source, start + at, start + (starts[i + 1] ?? piece.length))).every(Boolean);
    }
    const message = error instanceof RangeError ? 'nested too deeply to be read' : (error as Error).message;
    model.errors.push({ message: `YAML could not be read: ${message}`, range: source.range({ start, end: start }), kind: 'syntax' });
    return false;
  }
  if (blanked !== undefined && docs.some((doc) => doc.errors.length > 0)) return false;
  let whole = true;
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      whole = false;
      const docText = piece.slice(doc.range[0], doc.range[2]);
      // The first error says where the document breaks; the rest mostly follow from it. A broken
      // document of a kind the analysis does not read (a ConfigMap) is left to YAML tools.
      const [error] = doc.errors;
      if (LOOKS_LIKE_MANIFEST.test(docText) && !isSkippableDocument(docText)) {
        model.errors.push({
          message: `Broken YAML: ${error.message.split('\n')[0]}`,
          range: source.range({ start: start + error.pos[0], end: start + error.pos[1] }),
          kind: 'syntax',
        });
      }
      continue;
    }
    if (expandsTooFar(doc)) {
      if (LOOKS_LIKE_MANIFEST.test(piece.slice(doc.range[0], doc.range[2]))) {
        const at = start + ((doc.contents as Node | null)?.range?.[0] ?? doc.range[0]);
        model.errors.push({
          message:
            `Too many aliases: expanding them would exceed the limit of ${MAX_ALIAS_COUNT} (an alias bomb?); this document is ` +
            `not checked.`,
          range: source.range({ start: at, end: at }),
          kind: 'syntax',
        });
      }
      continue;
    }
    const reader = new YamlReader(source, doc, model.errors, start);
    try {
      const contents = doc.contents as Node | null;
      if (!isMap(contents)) continue;
      const helmSource = HELM_SOURCE.exec(doc.commentBefore ?? contents.commentBefore ?? '')?.[1];
      if (readObject(reader, contents, model, helmSource)) reader.reportDuplicateKeys();
    } catch (error) {
      // The reader records type errors itself; this only guards against the unforeseen.
      model.errors.push({
        message: `Document could not be read: ${(error as Error).message}`,
        range: reader.range(doc.contents as Node),
        kind: 'type',
      });
    }
  }
  return whole;
}

/** Offsets of the file's documents: its start and every line that opens a document with `---`. */
function documentStarts(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(/^---(?=\s|$)/gm)) if (match.index > 0) starts.push(match.index);
  return starts;
}

/** The `yaml` library's own limit on alias expansion (its default), applied to every document with aliases. */
const MAX_ALIAS_COUNT = 100;

/**
 * 'bounded' when following the document's aliases surely stays within the limit, so converting it
 * to find out can be spared: each alias names an anchor set before it, none lies inside an
 * anchored node (so an anchor expands to itself alone), and there are no more aliases than the
 * limit. 'unknown' otherwise (an alias that names nothing fails the conversion too).
 * Exactly what converting says in those cases: a test compares both.
 */
function aliasesOf(doc: Document.Parsed): 'none' | 'bounded' | 'unknown' {
  let aliases = 0;
  let bounded = true;
  const anchors = new Set<string>();
  // In document order (a node, then its items, a pair's key before its value), without recursion.
  const stack: Array<[unknown, boolean]> = [[doc.contents, false]];
  while (stack.length > 0) {
    const [node, inAnchored] = stack.pop()!;
    if (isAlias(node)) {
      aliases++;
      if (inAnchored || !anchors.has(node.source)) bounded = false;
    } else if (isPair(node)) {
      stack.push([node.value, inAnchored], [node.key, inAnchored]);
    } else if (isScalar(node) || isMap(node) || isSeq(node)) {
      if (node.anchor) anchors.add(node.anchor);
      if (!isScalar(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push([node.items[i], inAnchored || !!node.anchor]);
    }
  }
  // yaml counts an anchor once for itself and once per alias, against the limit.
  return aliases === 0 ? 'none' : bounded && aliases < MAX_ALIAS_COUNT ? 'bounded' : 'unknown';
}

/** Would following the document's aliases multiply its size past the limit (billion laughs)? */
function expandsTooFar(doc: Document.Parsed): boolean {
  if (aliasesOf(doc) !== 'unknown') return false;
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT, mapAsMap: true }); // Maps: no warning about collection keys
    return false;
  } catch (error) {
    return error instanceof ReferenceError && /alias/i.test(error.message);
  }
}

/** Reads one object (or a List's items) into the model; true when it is of a kind and API group the analysis reads. */
function readObject(r: YamlReader, object: YAMLMap, model: FileModel, helmSource: string | undefined): boolean {
  const kind = r.get(object, 'kind');
  const apiVersion = r.get(object, 'apiVersion');
  if (kind === undefined || apiVersion === undefined) return false; // not a manifest
  const kindName = r.string(kind, 'kind')?.value;
  if (!kindName || !isReadKind(kindName)) return false;
  const version = r.string(apiVersion, 'apiVersion')?.value;
  if (version === undefined || !isReadApiVersion(kindName, version)) return false;
  if (kindName.endsWith('List')) {
    for (const item of r.items(r.seq(r.get(object, 'items'), 'items'))) {
      const itemMap = r.map(item, 'a List item');
      if (itemMap) readObject(r, itemMap, model, helmSource);
    }
    return true;
  }
  if (REFERENCE_KINDS.has(kindName)) {
    readReference(r, object, objectRef(r, object, kindName, helmSource), model);
    return true;
  }
  const ref = objectRef(r, object, kindName, helmSource);
  if (isDialectGroup(kindName, version)) {
    if (CALICO_KINDS.includes(kindName)) readCalicoPolicy(r, object, ref, model);
    else readCiliumPolicy(r, object, ref, model);
  } else if (kindName in POD_TEMPLATE_PATH) {
    const template = path(r, object, POD_TEMPLATE_PATH[kindName as WorkloadKind]);
    if (template) readPodTemplate(r, template, ref, model);
  } else if (kindName === 'Service') {
    readService(r, object, ref, model);
  } else if (kindName === 'NetworkPolicy') {
    readPolicy(r, object, ref, model);
  } else if (kindName === 'Namespace') {
    const metadata = r.map(r.get(object, 'metadata'), 'metadata');
    model.namespaces.push({ ref: { ...ref, namespace: ref.name }, labels: r.stringMap(r.get(metadata, 'labels'), 'metadata.labels') });
  }
  return true;
}

function path(r: YamlReader, object: YAMLMap, keys: string[]): YAMLMap | undefined {
  let current: YAMLMap | undefined = object;
  for (const key of keys) current = r.map(r.get(current, key), key);
  return current;
}

function objectRef(r: YamlReader, object: YAMLMap, kind: string, helmSource: string | undefined): ObjectRef {
  const metadata = r.map(r.get(object, 'metadata'), 'metadata');
  const nameNode = r.get(metadata, 'name');
  const name = r.string(nameNode, 'metadata.name')?.value ?? '';
  const namespace = r.string(r.get(metadata, 'namespace'), 'metadata.namespace')?.value || undefined;
  const ref: ObjectRef = {
    kind,
    name,
    namespace,
    uri: r.source.uri,
    nameRange: r.range(nameNode ?? object),
    range: r.range(object),
  };
  if (helmSource) ref.helmSource = helmSource;
  const ignore = r.string(r.get(r.map(r.get(metadata, 'annotations'), 'metadata.annotations'), IGNORE_ANNOTATION), IGNORE_ANNOTATION);
  if (ignore) ref.ignore = annotationCodes(ignore.value, ignore.valueRange);
  return ref;
}

function protocolOf(r: YamlReader, node: Node | undefined): { protocol: Protocol; value?: ReturnType<YamlReader['string']> } {
  const value = r.string(node, 'protocol');
  if (!value) return { protocol: DEFAULT_PROTOCOL };
  const protocol = isProtocol(value.value) ? value.value : DEFAULT_PROTOCOL;
  return { protocol, value };
}

function readPodTemplate(r: YamlReader, template: YAMLMap, ref: ObjectRef, model: FileModel): void {
  const metadata = r.map(r.get(template, 'metadata'), 'metadata');
  const spec = r.map(r.get(template, 'spec'), 'spec');
  const ports: ContainerPort[] = [];
  const probes: Probe[] = [];
  const initPorts: ContainerPort[] = [];
  const containers = r.items(r.seq(r.get(spec, 'containers'), 'spec.containers'));
  // Init containers serve ports only as sidecars (restartPolicy: Always), which run for the pod's life.
  const inits = r.items(r.seq(r.get(spec, 'initContainers'), 'spec.initContainers'));
  const isSidecar = (c: Node) => r.string(r.get(r.map(c, 'initContainer'), 'restartPolicy'), 'restartPolicy')?.value === 'Always';
  const serving = [...containers, ...inits.filter(isSidecar)].map((c) => [c, ports] as const);
  const initOnly = inits.filter((c) => !isSidecar(c)).map((c) => [c, initPorts] as const);
  for (const [containerNode, into] of [...serving, ...initOnly]) {
    const container = r.map(containerNode, 'container');
    const containerName = r.string(r.get(container, 'name'), 'container name')?.value ?? '';
    // Probes of ordinary init containers are not allowed: only serving containers have them.
    if (into === ports) probes.push(...readProbes(r, container, containerName));
    for (const portNode of r.items(r.seq(r.get(container, 'ports'), 'container ports'))) {
      const entry = r.map(portNode, 'container port');
      const containerPort = r.integer(r.get(entry, 'containerPort'), 'containerPort');
      if (!entry || !containerPort) continue;
      const port: ContainerPort = {
        container: containerName,
        containerPort,
        protocol: protocolOf(r, r.get(entry, 'protocol')).protocol,
        range: r.range(entry),
      };
      const name = r.string(r.get(entry, 'name'), 'port name');
      if (name) port.name = name;
      const hostPort = r.integer(r.get(entry, 'hostPort'), 'hostPort');
      if (hostPort) port.hostPort = hostPort;
      into.push(port);
    }
  }
  model.pods.push({
    ref,
    labels: r.stringMap(r.get(metadata, 'labels'), 'metadata.labels'),
    ports,
    initPorts,
    hostNetwork: r.boolean(r.get(spec, 'hostNetwork'), 'hostNetwork'),
    probes,
  });
}

function readService(r: YamlReader, object: YAMLMap, ref: ObjectRef, model: FileModel): void {
  const spec = r.map(r.get(object, 'spec'), 'spec');
  const type = r.string(r.get(spec, 'type'), 'spec.type')?.value ?? 'ClusterIP';
  const selectorNode = r.get(spec, 'selector');
  const selectorMap = r.stringMap(selectorNode, 'spec.selector');
  const ports: ServicePort[] = [];
  for (const portNode of r.items(r.seq(r.get(spec, 'ports'), 'spec.ports'))) {
    const entry = r.map(portNode, 'Service port');
    const port = r.integer(r.get(entry, 'port'), 'port');
    if (!entry || !port) continue;
    const servicePort: ServicePort = { port, protocol: protocolOf(r, r.get(entry, 'protocol')).protocol, range: r.range(entry) };
    const name = r.string(r.get(entry, 'name'), 'port name');
    const targetPort = r.portRef(r.get(entry, 'targetPort'), 'targetPort');
    const nodePort = r.integer(r.get(entry, 'nodePort'), 'nodePort');
    if (name) servicePort.name = name;
    if (targetPort) servicePort.targetPort = targetPort;
    if (nodePort) servicePort.nodePort = nodePort;
    const portKey = r.keyNode(entry, 'port');
    // Only where targetPort is absent: one written with a value that is not a port is not replaced by a second key.
    if (portKey && !r.keyNode(entry, 'targetPort')) servicePort.keyInsertion = keyInsertion(r, entry, portKey, r.get(entry, 'port')!);
    ports.push(servicePort);
  }
  // An empty selector, like none, leaves the endpoints to someone else; ExternalName has none at all.
  const judged = selectorMap.size > 0 && type !== 'ExternalName';
  const selector = judged
    ? { value: selectorMap, range: r.range(selectorNode), valueRange: r.range(selectorNode), quoted: false }
    : undefined;
  const metadata = r.map(r.get(object, 'metadata'), 'metadata');
  model.services.push({ ref, labels: r.stringMap(r.get(metadata, 'labels'), 'metadata.labels'), type, selector, ports });
}

export function readSelector(r: YamlReader, node: Node | undefined, what: string, fallback: Node): LabelSelector {
  const map = r.map(node, what);
  const matchExpressions: LabelRequirement[] = [];
  for (const exprNode of r.items(r.seq(r.get(map, 'matchExpressions'), `${what}.matchExpressions`))) {
    const expr = r.map(exprNode, 'a label selector requirement');
    const key = r.string(r.get(expr, 'key'), 'key')?.value;
    const operator = r.string(r.get(expr, 'operator'), 'operator');
    if (key === undefined || !operator) continue;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(operator.value)) {
      r.errors.push({
        message: `Unknown selector operator "${operator.value}" (In, NotIn, Exists or DoesNotExist)`,
        range: operator.range,
        kind: 'type',
      });
      continue;
    }
    const values = r
      .items(r.seq(r.get(expr, 'values'), 'values'))
      .map((v) => r.string(v, 'a selector value')?.value)
      .filter((v): v is string => v !== undefined);
    matchExpressions.push({ key, operator: operator.value as LabelRequirement['operator'], values });
  }
  return {
    matchLabels: r.stringMap(r.get(map, 'matchLabels'), `${what}.matchLabels`),
    matchExpressions,
    range: r.range(node ?? fallback),
  };
}

function readPolicy(r: YamlReader, object: YAMLMap, ref: ObjectRef, model: FileModel): void {
  const spec = r.map(r.get(object, 'spec'), 'spec');
  if (!spec) return;
  const podSelectorNode = r.get(spec, 'podSelector');
  const policy: NetworkPolicy = {
    ref,
    podSelector: readSelector(r, podSelectorNode, 'spec.podSelector', r.keyNode(spec, 'podSelector') ?? object),
    policyTypes: [],
    ingress: readRules(r, spec, 'ingress'),
    egress: readRules(r, spec, 'egress'),
    ignored: [],
  };
  const typesNode = r.get(spec, 'policyTypes');
  if (typesNode !== undefined && !r.isNull(typesNode)) {
    for (const t of r.items(r.seq(typesNode, 'spec.policyTypes'))) {
      const type = r.string(t, 'a policy type');
      if (type?.value === 'Ingress' || type?.value === 'Egress') policy.policyTypes.push(type.value);
    }
  }
  if (policy.policyTypes.length === 0) {
    // Implied (as the API server defaults an absent or empty list): every policy isolates
    // ingress; it isolates egress when it has at least one egress rule.
    policy.policyTypes.push('Ingress');
    if (policy.egress.length > 0) policy.policyTypes.push('Egress');
  } else {
    for (const direction of ['ingress', 'egress'] as const) {
      const key = r.keyNode(spec, direction);
      if (key && policy[direction].length > 0 && !policy.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress')) {
        policy.ignored.push({ direction, keyRange: r.range(key) });
      }
    }
  }
  model.policies.push(policy);
}

/** Keys of a NetworkPolicy rule's parts; one written at the wrong level is silently dropped by Kubernetes. */
const POLICY_KEYS = ['from', 'to', 'ports', 'port', 'endPort', 'protocol', 'podSelector', 'namespaceSelector', 'ipBlock'];
const FIELDS = { 'port entry': ['port', 'endPort', 'protocol'], peer: ['podSelector', 'namespaceSelector', 'ipBlock'] };

function readRules(r: YamlReader, spec: YAMLMap, direction: 'ingress' | 'egress'): PolicyRule[] {
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  const rules: PolicyRule[] = [];
  for (const ruleNode of r.items(r.seq(r.get(spec, direction), `spec.${direction}`))) {
    const rule = r.map(ruleNode, `a ${direction} rule`);
    if (!rule) continue;
    const peerNodes = r.items(r.seq(r.get(rule, peersKey), peersKey));
    const portsSeq = r.seq(r.get(rule, 'ports'), 'ports');
    const portNodes = r.items(portsSeq);
    const result: PolicyRule = {
      direction,
      peers: peerNodes.length > 0 ? peerNodes.map((p) => readPeer(r, p)).filter((p): p is PolicyPeer => p !== undefined) : undefined,
      ports: portNodes.length > 0 ? portNodes.map((p) => readPolicyPort(r, p)).filter((p): p is PolicyPort => p !== undefined) : undefined,
      range: r.range(ruleNode),
      misplaced: [],
    };
    const portsKey = r.keyNode(rule, 'ports');
    if (portsKey && portNodes.length === 0) result.portsEmpty = r.range(portsKey);
    misplacedIn(r, rule, [peersKey, 'ports'], 'rule', result.misplaced);
    for (const peer of peerNodes) misplacedIn(r, r.map(peer, 'peer'), FIELDS.peer, 'peer', result.misplaced);
    portNodes.forEach((entryNode, i) => {
      const entry = r.map(entryNode, 'port entry');
      const found = misplacedIn(r, entry, FIELDS['port entry'], 'port entry', result.misplaced);
      // Moving the peers key up to the rule is unambiguous when it closes the last entry (an empty
      // `- ` after it counts) and the rule has none.
      const last = found.at(-1);
      if (
        last?.key === peersKey &&
        entry &&
        portsKey &&
        !r.get(rule, peersKey) &&
        i === portNodes.length - 1 &&
        portsSeq?.items.at(-1) === entryNode &&
        entry.items.at(-1)?.key === last.node
      ) {
        last.field.dedent = dedentOf(r, last.node, entry.items.at(-1)!.value as Node, portsKey as Node);
      }
    });
    rules.push(result);
  }
  return rules;
}

function misplacedIn(r: YamlReader, map: YAMLMap | undefined, allowed: string[], within: MisplacedField['within'], out: MisplacedField[]) {
  const found: Array<{ key: string; node: Node; field: MisplacedField }> = [];
  for (const [name, pair] of map ? r.pairs(map) : []) {
    if (!POLICY_KEYS.includes(name) || allowed.includes(name)) continue;
    const field: MisplacedField = { key: name, keyRange: r.range(pair.key), within };
    out.push(field);
    found.push({ key: name, node: pair.key, field });
  }
  return found;
}

/** Un-indents a key and its block value to the column of `target`, if every line allows it. */
function dedentOf(r: YamlReader, key: Node, value: Node, target: Node): MisplacedField['dedent'] {
  const text = r.source.text;
  const keyStart = r.span(key).start;
  // A key after the entry's "- " (or after anything) cannot move without what precedes it.
  if (!/^[ ]*$/.test(text.slice(r.source.lineStart(keyStart), keyStart))) return undefined;
  const width = r.source.position(keyStart).character - r.source.position(r.span(target).start).character;
  if (width <= 0) return undefined;
  const first = r.source.position(keyStart).line;
  // The value's range may run on over blank space into the next line; its last character ends it.
  let end = r.span(value).end;
  while (end > keyStart + 1 && /\s/.test(text[end - 1])) end--;
  const last = r.source.position(end - 1).line;
  const lines: Position[] = [];
  for (let line = first; line <= last; line++) {
    const start = r.source.offset({ line, character: 0 });
    const indent = /^[ ]*/.exec(text.slice(start, start + width))![0].length;
    const blank = /^\s*$/.test(text.slice(start, r.source.offset({ line: line + 1, character: 0 })));
    if (blank) continue;
    if (indent < width) return undefined;
    lines.push({ line, character: 0 });
  }
  return { lines, width };
}

function readPeer(r: YamlReader, node: Node): PolicyPeer | undefined {
  const peer = r.map(node, 'a NetworkPolicy peer');
  if (!peer) return undefined;
  const result: PolicyPeer = { range: r.range(node) };
  const podSelector = r.get(peer, 'podSelector');
  const namespaceSelector = r.get(peer, 'namespaceSelector');
  if (podSelector !== undefined) result.podSelector = readSelector(r, podSelector, 'podSelector', node);
  if (namespaceSelector !== undefined) result.namespaceSelector = readSelector(r, namespaceSelector, 'namespaceSelector', node);
  const ipBlock = r.map(r.get(peer, 'ipBlock'), 'ipBlock');
  if (ipBlock) {
    result.ipBlock = {
      cidr: r.string(r.get(ipBlock, 'cidr'), 'cidr')?.value ?? '',
      except: r.items(r.seq(r.get(ipBlock, 'except'), 'except')).map((e) => r.string(e, 'except')?.value ?? ''),
    };
  }
  return result;
}

function readPolicyPort(r: YamlReader, node: Node): PolicyPort | undefined {
  const entry = r.map(node, 'a NetworkPolicy port');
  if (!entry) return undefined;
  const protocol = protocolOf(r, r.get(entry, 'protocol'));
  const result: PolicyPort = { protocol: protocol.protocol, range: r.range(node) };
  const removal = removalSpan(r.source.text, r.span(node));
  if (removal) result.removal = r.source.range(removal);
  const portNode = r.get(entry, 'port');
  const portKey = r.keyNode(entry, 'port');
  if (portNode) result.keyInsertion = keyInsertion(r, entry, portKey!, portNode);
  if (portKey && r.isNull(portNode)) result.portNull = r.range(portKey);
  const port = r.portRef(portNode, 'port');
  const endPort = r.integer(r.get(entry, 'endPort'), 'endPort');
  if (port) result.port = port;
  if (endPort) result.endPort = endPort;
  if (protocol.value) result.protocolValue = protocol.value;
  return result;
}

/** The text to delete to remove a list item: its whole lines in a block list, item and comma in a flow list. */
export function removalSpan(text: string, item: Span): Span | undefined {
  const lineStart = text.lastIndexOf('\n', item.start - 1) + 1;
  const before = text.slice(lineStart, item.start);
  if (/^\s*-\s*$/.test(before)) {
    const newline = text.indexOf('\n', item.end > item.start ? item.end - 1 : item.end);
    return { start: lineStart, end: newline === -1 ? text.length : newline + 1 };
  }
  const after = /^\s*,[ \t]*/.exec(text.slice(item.end));
  if (after) return { start: item.start, end: item.end + after[0].length };
  const comma = /,\s*$/.exec(text.slice(0, item.start));
  if (comma) return { start: comma.index, end: item.end };
  return undefined;
}

function keyInsertion(r: YamlReader, entry: YAMLMap, key: Node, value: Node): { at: Position; prefix: string } {
  const text = r.source.text;
  const at = r.span(value).end;
  if (entry.flow) return { at: r.source.position(at), prefix: ', ' };
  const keyStart = r.span(key).start;
  const indent = keyStart - (text.lastIndexOf('\n', keyStart - 1) + 1);
  // After the value's line, so that a trailing comment stays with the value.
  const eol = text.indexOf('\n', at);
  const crlf = eol > 0 && text[eol - 1] === '\r';
  const lineEnd = eol === -1 ? text.length : crlf ? eol - 1 : eol;
  return { at: r.source.position(lineEnd), prefix: intern((crlf ? '\r\n' : '\n') + ' '.repeat(indent)) };
}
