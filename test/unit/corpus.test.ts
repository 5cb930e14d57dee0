import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PortLens } from '../../server/src/analysis/portLens';
import type { Finding } from '../../server/src/analysis/rules/findings';
import { containsPosition } from '../../server/src/model/source';
import { textAt } from '../helpers';

const CORPUS = path.resolve(__dirname, '../corpus');
const REAL = path.join(CORPUS, 'real');
const SOURCES = path.join(CORPUS, 'SOURCES.md');

/** One expected warning or error, as SOURCES.md's "Known findings" tables name it. */
interface Known {
  file: string;
  /** `NetworkPolicy rel-appsmith` */
  object: string;
  value: string;
  code: string;
  /** How many findings: a number, or "each" (one or more: every entry with that value). */
  count: number | 'each';
  /** 1-based line, where the table gives one. */
  line?: number;
  /** The text the preferred fix writes (contained in its edit); null: none is preferred; undefined: the table does not say. */
  preferred: string | null | undefined;
  /** Texts that other fixes of the finding must write. */
  offered: string[];
}

/** The rows of the Markdown table that follows `heading` in SOURCES.md. */
function tableAfter(text: string, heading: string): string[][] {
  const start = text.indexOf(heading);
  assert.ok(start >= 0, `SOURCES.md has "${heading}"`);
  const lines = text.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

const backticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

/** `rel-airflow-{a,b}` → `rel-airflow-a`, `rel-airflow-b` */
const expandBraces = (name: string): string[] => {
  const match = /^(.*)\{([^}]*)\}(.*)$/.exec(name);
  return match ? match[2].split(',').map((part) => `${match[1]}${part}${match[3]}`) : [name];
};

function knownFindings(text: string): Known[] {
  const known: Known[] = [];
  for (const [file, object, value, code, , fix] of tableAfter(text, '## Known findings')) {
    const kind = object.split(' ')[0].replace(/ies$/, 'y');
    const values = backticked(value).map((v) => v.replace(/^[a-zA-Z]+: /, ''));
    const offered = fix.includes('offered') ? (fix.includes('/') ? backticked(fix) : (fix.match(/\d+/g) ?? [])) : [];
    // "80 → 8083, preferred"; "8083 and 8080 offered, none preferred"; "none required"; "`a` / `b` offered" (may be preferred)
    const preferred = /none (preferred|required)/.test(fix) ? null : / preferred$/.test(fix) ? /→ (\S+?),/.exec(fix)![1] : undefined;
    for (const name of expandBraces(backticked(object)[0])) {
      values.forEach((v, i) => {
        const row: Known = {
          file,
          object: `${kind} ${name}`,
          value: v,
          code: backticked(code)[0],
          count: value.startsWith('each') ? 'each' : 1,
          preferred,
          offered: [],
        };
        if (fix.startsWith('protocol → ')) row.preferred = `protocol: ${fix.slice('protocol → '.length)}`;
        // `a` / `b` offered: the i-th name is offered for the i-th value.
        if (fix.includes('/')) row.offered = [offered[i]];
        else row.offered = offered;
        const previous = known.find((k) => k.file === file && k.object === row.object && k.value === v && k.code === row.code);
        if (previous) (previous.count as number)++;
        else known.push(row);
      });
      if (/\(twice\)/.test(value))
        (known.find((k) => k.file === file && k.object === `${kind} ${name}` && k.value === values.at(-1))!.count as number)++;
    }
  }
  for (const [file, object, value, code] of tableAfter(text, '### Known structure findings')) {
    const name = object.startsWith('same') ? known.at(-1)!.object : `${object.split(' ')[0]} ${backticked(object)[0]}`;
    known.push({
      file,
      object: name,
      value: backticked(value)[0].replace(/:$/, ''),
      code: backticked(code)[0],
      count: 1,
      line: Number(/\(line (\d+)\)/.exec(value)?.[1]),
      preferred: undefined,
      offered: [],
    });
  }
  return known;
}

const files = existsSync(REAL)
  ? readdirSync(REAL)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
  : [];
const KNOWN = existsSync(SOURCES) ? knownFindings(readFileSync(SOURCES, 'utf8')) : [];

/** The findings of one corpus file checked on its own, each with the object it is about and the text it is on. */
function check(file: string): Array<{ finding: Finding; object: string; value: string }> {
  const uri = `file:///corpus/${file}`;
  const text = readFileSync(path.join(REAL, file), 'utf8');
  const lens = new PortLens();
  lens.setFile(uri, text);
  const model = lens.index.file(uri)!;
  return lens.findings(uri).map((finding) => {
    const object = [...model.policies, ...model.services].find((o) => containsPosition(o.ref.range, finding.range.start));
    return { finding, object: object ? `${object.ref.kind} ${object.ref.name}` : '?', value: textAt(text, finding) };
  });
}

test('the vendored corpus and its Known findings are there', () => {
  assert.ok(files.length >= 21, `expected the corpus at ${REAL}`);
  for (const row of KNOWN) assert.ok(files.includes(row.file), row.file);
  // The tables as the issue reads them: 15 warnings of the checks, 2 structure findings.
  const structure = KNOWN.filter((k) => k.code === 'netpol-misplaced-field');
  assert.equal(structure.length, 2);
  assert.deepEqual(new Set(KNOWN.map((k) => k.file)).size, 5);
});

for (const file of files) {
  test(`corpus ${file}: exactly the Known findings of SOURCES.md at warning and error`, () => {
    const problems = check(file).filter((f) => f.finding.severity !== 'information');
    const expected = KNOWN.filter((k) => k.file === file);
    const rowOf = (p: (typeof problems)[number]) =>
      expected.find(
        (k) =>
          k.object === p.object &&
          k.value === p.value &&
          k.code === p.finding.code &&
          (k.line === undefined || k.line === p.finding.range.start.line + 1),
      );
    for (const problem of problems) {
      const row = rowOf(problem);
      assert.ok(row, `not a known finding: ${problem.object} ${problem.value} ${problem.finding.code}: ${problem.finding.message}`);
      const preferred = problem.finding.fixes.filter((x) => x.isPreferred);
      if (row.preferred === null) {
        assert.equal(preferred.length, 0, `${row.object} ${row.value}: no preferred fix`);
      } else if (row.preferred !== undefined) {
        assert.equal(preferred.length, 1, `${row.object} ${row.value}: one preferred fix`);
        assert.ok(
          preferred[0].edits.some((e) => e.newText.includes(row.preferred!)),
          `${row.object} ${row.value}: preferred fix writes ${row.preferred}`,
        );
      }
      const written = problem.finding.fixes.flatMap((x) => x.edits.map((e) => e.newText));
      for (const text of row.offered) assert.ok(written.includes(text), `${row.object} ${row.value}: ${text} offered`);
    }
    for (const row of expected) {
      const found = problems.filter((p) => rowOf(p) === row).length;
      if (row.count === 'each') assert.ok(found >= 1, `${row.object} ${row.value} ${row.code}: reported`);
      else assert.equal(found, row.count, `${row.object} ${row.value} ${row.code}: reported ${row.count} time(s)`);
    }
  });
}

test('corpus: 15 warnings of the checks in all, each file on its own', () => {
  const checks = files.flatMap((file) =>
    check(file).filter((f) => f.finding.severity !== 'information' && f.finding.code !== 'netpol-misplaced-field'),
  );
  assert.equal(checks.length, 15, checks.map((c) => `${c.object} ${c.value} ${c.finding.code}`).join('\n'));
});

test("corpus: zookeeper's follower and election targetPorts are information (feature-gated with one replica)", () => {
  for (const file of ['bitnami-zookeeper.yaml', 'bitnami-dremio.yaml']) {
    const zookeeper = check(file).filter(
      (f) => f.object === 'Service rel-zookeeper-headless' && f.finding.code === 'service-target-port-unmatched',
    );
    assert.deepEqual(
      zookeeper.map((f) => [f.value, f.finding.severity]).sort(),
      [
        ['election', 'information'],
        ['follower', 'information'],
      ],
      file,
    );
    assert.ok(zookeeper.every((f) => f.finding.fixes.every((x) => !x.isPreferred)));
  }
});
