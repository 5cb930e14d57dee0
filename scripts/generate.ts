// Writes what is derived from the rule registry (server/src/analysis/rules/registry.ts): the
// `portLens.severity` settings schema in package.json, and the tables of rules in README.md and
// docs/rules.md (between `<!-- rules:start -->` and `<!-- rules:end -->`). `npm run generate`;
// `npm run build` runs it too. test/unit/generated.test.ts fails when a file disagrees.
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { RULES, RULE_CODES, ruleDocsUrl, type RuleCode } from '../server/src/analysis/rules/registry';

const ROOT = path.resolve(__dirname, '..');
const LEVELS = ['off', 'information', 'warning', 'error'];
const START = '<!-- rules:start (generated from server/src/analysis/rules/registry.ts by npm run generate) -->';
const END = '<!-- rules:end -->';

const onlyOff = (code: RuleCode) =>
  RULES[code].severity === 'information' ? ' Its findings are information, so only `off` changes anything.' : '';

/** The `portLens.severity` setting's schema: one property per rule code. */
export function severitySchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const code of RULE_CODES) {
    properties[code] = {
      type: 'string',
      enum: LEVELS,
      enumDescriptions: [
        'Hide the rule.',
        "Report the rule's warnings and errors as information.",
        "Report the rule's warnings and errors as warnings.",
        "Report the rule's warnings and errors as errors.",
      ],
      markdownDescription: `\`${code}\` (${RULES[code].severity}): ${RULES[code].description}${onlyOff(code)} [More](${ruleDocsUrl(code)})`,
    };
  }
  return {
    type: 'object',
    default: {},
    scope: 'resource',
    order: 1,
    // Every code is listed, so this flags only a misspelt one.
    additionalProperties: false,
    properties,
    markdownDescription:
      "The level of each rule's findings, by rule code. A level replaces the level of the rule's warnings and errors; its information findings stay information; `off` hides the rule. Rules not listed keep their own levels.",
  };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The README's table: code and what it finds, linked to its section of docs/rules.md. */
export function readmeTable(): string {
  const rows = RULE_CODES.map((code) => {
    const rule: { severity: string; title: string; summary?: string } = RULES[code];
    const level = rule.severity === 'information' ? ' (information)' : '';
    return `| [\`${code}\`](docs/rules.md#${code}) | ${cell(rule.summary ?? rule.title)}${level} |`;
  });
  return ['| code | what it finds |', '| --- | --- |', ...rows].join('\n');
}

/** docs/rules.md's index: code, level and title, linked to the rule's section below. */
export function rulesIndex(): string {
  const rows = RULE_CODES.map((code) => `| [\`${code}\`](#${code}) | ${RULES[code].severity} | ${cell(RULES[code].title)} |`);
  return ['| code | level | finds |', '| --- | --- | --- |', ...rows].join('\n');
}

function replaceBlock(text: string, block: string, file: string): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${file} has no ${START} … ${END} block`);
  return `${text.slice(0, start + START.length)}\n\n${block}\n\n${text.slice(end)}`;
}

/** Every generated file: its path and the text it should have. */
export function generatedFiles(root = ROOT): Array<{ file: string; text: string }> {
  const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
  const pkg = JSON.parse(read('package.json'));
  pkg.contributes.configuration.properties['portLens.severity'] = severitySchema();
  return [
    { file: 'package.json', text: `${JSON.stringify(pkg, null, 2)}\n` },
    { file: 'README.md', text: replaceBlock(read('README.md'), readmeTable(), 'README.md') },
    { file: 'docs/rules.md', text: replaceBlock(read('docs/rules.md'), rulesIndex(), 'docs/rules.md') },
  ];
}

if (require.main === module) {
  for (const { file, text } of generatedFiles()) {
    const full = path.join(ROOT, file);
    if (readFileSync(full, 'utf8') === text) continue;
    writeFileSync(full, text);
    console.log(`generated ${file}`);
  }
}
