// The script of the Port Map webview: draws the map the extension sends, asks it to explain an
// edge or open a node's file, and keeps what the user chose (namespace, edge, scroll) in the
// webview's state, so a reload or a restart restores it. Bundled by esbuild; no remote resource.
import { renderSvg } from '../../../server/src/analysis/map/svg';
import type { PortMap } from '../../../server/src/analysis/map/portMap';
import type { FromPanel, PanelState, ToPanel } from '../portMapMessages';

interface VsCodeApi {
  postMessage(message: FromPanel): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const graph = document.getElementById('graph')!;
const title = document.getElementById('title')!;
const details = document.getElementById('details')!;
let state: PanelState = vscode.getState() ?? { namespace: null };
let map: PortMap | undefined;
/** The explanation shown, by edge id: it is asked again when the map changes. */
let explained: string | undefined;

const post = (message: FromPanel) => vscode.postMessage(message);
const save = (change: Partial<PanelState>) => {
  state = { ...state, ...change };
  vscode.setState(state);
  post({ type: 'state', state });
};

window.addEventListener('message', (event: MessageEvent<ToPanel>) => {
  const message = event.data;
  if (message.type === 'map') {
    // A webview restored without its state (a reload before the workbench saved it) takes the extension's copy.
    const lost = state.edge === undefined && state.scroll === undefined;
    if (message.restore && lost) state = { ...message.restore, namespace: state.namespace };
    show(message.map, message.root);
  } else if (message.type === 'explanation' && message.edge === state.edge) showExplanation(message.markdown, message.error);
});

function show(next: PortMap, root: string | undefined): void {
  const first = map === undefined;
  map = next;
  save({ namespace: next.namespace, root });
  title.textContent = `Port map of namespace ${next.namespace ?? '(unspecified)'}${root ? ` in Kustomize root ${root}` : ''}`;
  if (next.services.length === 0 && next.pods.length === 0) {
    graph.textContent = 'This namespace holds no Service and no pod template in the workspace.';
  } else {
    graph.innerHTML = renderSvg(next);
  }
  const edge = state.edge ? next.edges.find((e) => e.id === state.edge) : undefined;
  // An edge not drawn (yet: a map asked for while the server reads the workspace) stays chosen.
  if (edge) select(edge.id, false);
  else details.hidden = true;
  if (first && state.scroll) graph.scrollTo(state.scroll.left, state.scroll.top);
}

/** Marks an edge as chosen and asks the extension for its explanation. */
function select(id: string, focus: boolean): void {
  const edge = map?.edges.find((e) => e.id === id);
  if (!edge) return;
  for (const node of graph.querySelectorAll('.selected')) node.classList.remove('selected');
  const element = graph.querySelector(`[data-edge="${CSS.escape(id)}"]`);
  element?.classList.add('selected');
  if (focus) (element as SVGElement | null)?.focus();
  save({ edge: id });
  explained = id;
  details.hidden = false;
  details.replaceChildren(heading(`${edge.explain.from} → ${edge.explain.to}`), paragraph('Asking the language server…'));
  post({ type: 'explain', edge: id, from: edge.explain.from, to: edge.explain.to });
}

/** Opens the file and line of a node: a namespace or external source has none, an Ingress or route has its own. */
function open(id: string): void {
  if (!map) return;
  const places = [
    ...map.sources.flatMap((s) => (s.router ? [{ id: s.id, uri: s.router.uri, range: s.router.nameRange }] : [])),
    ...map.services.flatMap((s) => [{ id: s.id, uri: s.uri, range: s.nameRange }, ...s.ports]),
    ...map.pods.flatMap((p) => [{ id: p.id, uri: p.uri, range: p.nameRange }, ...p.ports]),
  ];
  const place = places.find((p) => p.id === id);
  if (place) post({ type: 'open', uri: place.uri, line: place.range.start.line, character: place.range.start.character });
}

function activate(target: EventTarget | null): void {
  const element = target as Element | null;
  const edge = element?.closest('[data-edge]');
  if (edge) return select(edge.getAttribute('data-edge')!, false);
  const node = element?.closest('[data-node]');
  if (node) open(node.getAttribute('data-node')!);
}

graph.addEventListener('click', (event) => activate(event.target));
graph.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' && event.key !== ' ') return;
  event.preventDefault();
  activate(event.target);
});
let scrollTimer: ReturnType<typeof setTimeout> | undefined;
graph.addEventListener('scroll', () => {
  clearTimeout(scrollTimer);
  scrollTimer = setTimeout(() => save({ scroll: { left: graph.scrollLeft, top: graph.scrollTop } }), 100);
});
details.addEventListener('click', (event) => {
  const link = (event.target as Element).closest('a[data-uri]');
  if (!link) return;
  event.preventDefault();
  post({ type: 'open', uri: link.getAttribute('data-uri')!, line: Number(link.getAttribute('data-line')), character: 0 });
});

function showExplanation(markdown: string | undefined, error: string | undefined): void {
  if (explained !== state.edge) return;
  details.hidden = false;
  details.replaceChildren(...(error !== undefined ? [paragraph(error)] : renderMarkdown(markdown ?? '')));
}

const heading = (text: string) => Object.assign(document.createElement('h2'), { textContent: text });
const paragraph = (text: string) => Object.assign(document.createElement('p'), { textContent: text });

/**
 * The few Markdown forms an explanation uses: a heading, bold, nested lists and links to files
 * (`[text](file:///…#L12)`), built as DOM nodes (nothing is parsed as HTML).
 */
function renderMarkdown(markdown: string): Node[] {
  const out: Node[] = [];
  const lists: HTMLUListElement[] = [];
  for (const line of markdown.split('\n')) {
    const item = /^( *)- (.*)$/.exec(line);
    if (item) {
      const depth = item[1].length / 2;
      while (lists.length > depth + 1) lists.pop();
      while (lists.length < depth + 1) {
        const list = document.createElement('ul');
        const parent = lists.at(-1)?.lastElementChild ?? null;
        if (parent) parent.append(list);
        else out.push(list);
        lists.push(list);
      }
      const li = document.createElement('li');
      li.append(...inline(item[2]));
      lists.at(-1)!.append(li);
      continue;
    }
    lists.length = 0;
    if (line.startsWith('# ')) {
      const h = document.createElement('h2');
      h.append(...inline(line.slice(2)));
      out.push(h);
    } else if (line.trim() !== '') {
      const p = document.createElement('p');
      p.append(...inline(line));
      out.push(p);
    }
  }
  return out;
}

function inline(text: string): Node[] {
  const nodes: Node[] = [];
  const pattern = /\[([^\]]*)\]\(([^)]*)\)|\*\*([^*]+)\*\*/g;
  let last = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    nodes.push(document.createTextNode(unescape(text.slice(last, match.index))));
    if (match[1] !== undefined) {
      const [uri, line] = match[2].split('#L');
      const a = document.createElement('a');
      a.href = '#';
      a.textContent = unescape(match[1]);
      a.setAttribute('data-uri', uri);
      a.setAttribute('data-line', String(Math.max(0, Number(line ?? 1) - 1)));
      nodes.push(a);
    } else {
      nodes.push(Object.assign(document.createElement('strong'), { textContent: unescape(match[3]) }));
    }
    last = pattern.lastIndex;
  }
  nodes.push(document.createTextNode(unescape(text.slice(last))));
  return nodes;
}

const unescape = (text: string) => text.replace(/\\\*/g, '*');

post({ type: 'ready', namespace: state.namespace });
