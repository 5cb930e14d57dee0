import type { LabelRequirement } from './manifest';

/**
 * Calico's selector language (`app == 'web' && tier in {'a', 'b'} || !has(legacy)`), parsed into
 * alternatives (OR) of label requirements (AND): the model Kubernetes label selectors use.
 */
export type CalicoSelector =
  | { ok: true; alternatives: LabelRequirement[][] }
  /** Valid Calico, but not expressible as label requirements (`contains`, `starts with`, too many alternatives). */
  | { ok: true; alternatives: undefined; unsupported: string }
  /** `at`: offset in the expression of the character that breaks it. */
  | { ok: false; message: string; at: number };

/** Beyond this many alternatives (a long chain of ORs inside ANDs), the selector is not judged. */
const MAX_ALTERNATIVES = 64;

type Token =
  | { kind: 'op'; text: '==' | '!=' | '&&' | '||' | '!' | '(' | ')' | '{' | '}' | ','; at: number }
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'end'; at: number };

/** A node of the expression: a boolean constant, a requirement, a test the model cannot express, or a combination. */
type Expr =
  | { kind: 'const'; value: boolean }
  | { kind: 'req'; req: LabelRequirement }
  | { kind: 'opaque'; what: string }
  | { kind: 'not'; expr: Expr }
  | { kind: 'and' | 'or'; left: Expr; right: Expr };

class SelectorError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

const WORD = /[A-Za-z0-9_./-]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '&&' || two === '||') {
      tokens.push({ kind: 'op', text: two, at: i });
      i += 2;
    } else if ('!(){},'.includes(c)) {
      tokens.push({ kind: 'op', text: c as '!', at: i });
      i++;
    } else if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end === -1) throw new SelectorError(`unclosed ${c} quote`, i);
      tokens.push({ kind: 'string', text: text.slice(i + 1, end), at: i });
      i = end + 1;
    } else if (WORD.test(c)) {
      const start = i;
      while (i < text.length && WORD.test(text[i])) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), at: start });
    } else {
      throw new SelectorError(`unexpected character "${c}"`, i);
    }
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

/** Recursive descent over: or := and ('||' and)*; and := unary ('&&' unary)*; unary := '!' unary | primary. */
class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): Expr {
    if (this.peek().kind === 'end') return { kind: 'const', value: true }; // an empty selector selects everything
    const expr = this.or();
    const next = this.peek();
    if (next.kind !== 'end') throw new SelectorError(`expected "&&", "||" or the end of the selector, found ${describe(next)}`, next.at);
    return expr;
  }

  private peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    return this.tokens[this.i++];
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }

  private expectOp(text: string, context: string): void {
    const t = this.next();
    if (t.kind !== 'op' || t.text !== text) throw new SelectorError(`expected "${text}" ${context}, found ${describe(t)}`, t.at);
  }

  private or(): Expr {
    let left = this.and();
    while (this.isOp('||')) {
      this.i++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Expr {
    let left = this.unary();
    while (this.isOp('&&')) {
      this.i++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Expr {
    if (this.isOp('!')) {
      this.i++;
      return { kind: 'not', expr: this.unary() };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.next();
    if (t.kind === 'op' && t.text === '(') {
      const expr = this.or();
      this.expectOp(')', 'to close "("');
      return expr;
    }
    if (t.kind !== 'word') throw new SelectorError(`expected a label, has(…), all() or "(", found ${describe(t)}`, t.at);
    if ((t.text === 'has' || t.text === 'all' || t.text === 'global') && this.isOp('(')) return this.call(t.text);
    return this.comparison(t.text, t.at);
  }

  private call(name: string): Expr {
    this.i++; // (
    if (name === 'has') {
      const key = this.next();
      if (key.kind !== 'word') throw new SelectorError(`expected a label name in has(…), found ${describe(key)}`, key.at);
      this.expectOp(')', 'to close has(');
      return { kind: 'req', req: { key: key.text, operator: 'Exists', values: [] } };
    }
    this.expectOp(')', `after ${name}(`);
    // global() picks endpoints outside any namespace (host endpoints, network sets): never a pod.
    return { kind: 'const', value: name === 'all' };
  }

  private comparison(key: string, keyAt: number): Expr {
    const t = this.next();
    if (t.kind === 'op' && (t.text === '==' || t.text === '!=')) {
      const value = this.string(`after "${t.text}"`);
      return { kind: 'req', req: { key, operator: t.text === '==' ? 'In' : 'NotIn', values: [value] } };
    }
    if (t.kind === 'word' && t.text === 'in') return { kind: 'req', req: { key, operator: 'In', values: this.set() } };
    if (t.kind === 'word' && t.text === 'not') {
      const inWord = this.next();
      if (inWord.kind !== 'word' || inWord.text !== 'in')
        throw new SelectorError(`expected "in" after "not", found ${describe(inWord)}`, inWord.at);
      return { kind: 'req', req: { key, operator: 'NotIn', values: this.set() } };
    }
    if (t.kind === 'word' && t.text === 'contains')
      return this.opaque(`${key} contains ${JSON.stringify(this.string('after "contains"'))}`);
    if (t.kind === 'word' && (t.text === 'starts' || t.text === 'ends')) {
      const withWord = this.next();
      if (withWord.kind !== 'word' || withWord.text !== 'with')
        throw new SelectorError(`expected "with" after "${t.text}", found ${describe(withWord)}`, withWord.at);
      return this.opaque(`${key} ${t.text} with ${JSON.stringify(this.string(`after "${t.text} with"`))}`);
    }
    if (t.kind === 'end' || (t.kind === 'op' && (t.text === '&&' || t.text === '||' || t.text === ')'))) {
      throw new SelectorError(`"${key}" needs a comparison (==, !=, in, not in) or has(${key})`, keyAt);
    }
    throw new SelectorError(`expected ==, !=, in or not in after "${key}", found ${describe(t)}`, t.at);
  }

  private opaque(what: string): Expr {
    return { kind: 'opaque', what };
  }

  private string(context: string): string {
    const t = this.next();
    if (t.kind !== 'string') throw new SelectorError(`expected a quoted value ${context}, found ${describe(t)}`, t.at);
    return t.text;
  }

  private set(): string[] {
    this.expectOp('{', 'to open the set of values');
    const values: string[] = [];
    if (this.isOp('}')) {
      this.i++;
      return values;
    }
    for (;;) {
      values.push(this.string('in the set'));
      const t = this.next();
      if (t.kind === 'op' && t.text === '}') return values;
      if (t.kind !== 'op' || t.text !== ',') throw new SelectorError(`expected "," or "}" in the set, found ${describe(t)}`, t.at);
    }
  }
}

function describe(t: Token): string {
  if (t.kind === 'end') return 'the end of the selector';
  if (t.kind === 'string') return `the value '${t.text}'`;
  return `"${t.text}"`;
}

/** One alternative while converting: a list of requirements, or a test the model cannot express. */
type Conjunction = { reqs: LabelRequirement[]; opaque?: string };

const NEGATED: Record<LabelRequirement['operator'], LabelRequirement['operator']> = {
  In: 'NotIn',
  NotIn: 'In',
  Exists: 'DoesNotExist',
  DoesNotExist: 'Exists',
};

class TooLarge extends Error {}

/** Disjunctive normal form of the expression, negations pushed down to the requirements. */
function dnf(expr: Expr, negated: boolean): Conjunction[] {
  switch (expr.kind) {
    case 'const':
      return expr.value !== negated ? [{ reqs: [] }] : [];
    case 'req':
      return [{ reqs: [negated ? { ...expr.req, operator: NEGATED[expr.req.operator] } : expr.req] }];
    case 'opaque':
      return [{ reqs: [], opaque: negated ? `!(${expr.what})` : expr.what }];
    case 'not':
      return dnf(expr.expr, !negated);
    case 'and':
    case 'or': {
      // De Morgan: a negated AND is an OR of the negations, and the other way round.
      const isOr = (expr.kind === 'or') !== negated;
      const left = dnf(expr.left, negated);
      const right = dnf(expr.right, negated);
      if (isOr) return check([...left, ...right]);
      const product: Conjunction[] = [];
      for (const a of left) {
        for (const b of right) {
          product.push({ reqs: [...a.reqs, ...b.reqs], opaque: a.opaque ?? b.opaque });
          if (product.length > MAX_ALTERNATIVES) throw new TooLarge();
        }
      }
      return product;
    }
  }
}

function check(alternatives: Conjunction[]): Conjunction[] {
  if (alternatives.length > MAX_ALTERNATIVES) throw new TooLarge();
  return alternatives;
}

/** Parses a Calico selector expression. Never throws. */
export function parseCalicoSelector(text: string): CalicoSelector {
  let expr: Expr;
  try {
    expr = new Parser(tokenize(text)).parse();
  } catch (error) {
    if (error instanceof SelectorError) return { ok: false, message: error.message, at: error.at };
    if (error instanceof RangeError) return { ok: false, message: 'nested too deeply to be read', at: 0 };
    throw error;
  }
  try {
    const alternatives = dnf(expr, false);
    const opaque = alternatives.find((a) => a.opaque !== undefined)?.opaque;
    if (opaque !== undefined) return { ok: true, alternatives: undefined, unsupported: opaque };
    return { ok: true, alternatives: alternatives.map((a) => a.reqs) };
  } catch (error) {
    if (error instanceof TooLarge || error instanceof RangeError)
      return { ok: true, alternatives: undefined, unsupported: `more than ${MAX_ALTERNATIVES} alternatives` };
    throw error;
  }
}
