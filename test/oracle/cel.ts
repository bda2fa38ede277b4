/**
 * A small evaluator of IAM condition expressions (CEL), written from the documented semantics of
 * Google Cloud IAM conditions, independently of lib/: string literals, the attributes
 * `resource.name`, `resource.type` and `resource.service`, the functions `startsWith`, `endsWith`
 * and `contains`, `==`, `!=`, `!`, `&&`, `||` and parentheses. Anything else is an error (the
 * oracle must not guess what a condition means).
 */

/** The attributes a condition is evaluated against. */
export interface CelResource {
  readonly name: string;
  readonly type: string;
  readonly service: string;
}

type Token =
  { readonly t: 'str'; readonly v: string } | { readonly t: 'id'; readonly v: string } | { readonly t: 'op'; readonly v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\') {
          const n = src[j + 1];
          const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" };
          if (n === undefined || !(n in esc)) throw new Error(`CEL: unsupported escape \\${n ?? ''} in ${src}`);
          text += esc[n];
          j += 2;
        } else {
          text += src[j];
          j++;
        }
      }
      if (j >= src.length) throw new Error(`CEL: unterminated string in ${src}`);
      out.push({ t: 'str', v: text });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'id', v: m[0] });
      i += m[0].length;
    } else {
      const two = src.slice(i, i + 2);
      if (['==', '!=', '&&', '||'].includes(two)) {
        out.push({ t: 'op', v: two });
        i += 2;
      } else if ('().!,'.includes(c)) {
        out.push({ t: 'op', v: c });
        i++;
      } else throw new Error(`CEL: unexpected ${JSON.stringify(c)} in ${src}`);
    }
  }
  return out;
}

const ATTRIBUTES = new Set(['name', 'type', 'service']);
const METHODS: Record<string, (s: string, arg: string) => boolean> = {
  startsWith: (s, a) => s.startsWith(a),
  endsWith: (s, a) => s.endsWith(a),
  contains: (s, a) => s.includes(a),
};

/** Evaluates `expression` for `resource`; throws on anything outside the supported subset. */
export function evaluateCel(expression: string, resource: CelResource): boolean {
  const tokens = tokenize(expression);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (v: string): boolean => peek()?.t === 'op' && peek()?.v === v;
  const expect = (v: string): void => {
    if (!isOp(v)) throw new Error(`CEL: expected ${v} at token ${pos} of ${expression}`);
    pos++;
  };
  const fail = (): never => {
    throw new Error(`CEL: unsupported expression ${expression}`);
  };

  // value := string | resource.<attr>[.<method>(string)] ; returns a string or a boolean.
  const value = (): string | boolean => {
    const tok = tokens[pos++];
    if (!tok) return fail();
    if (tok.t === 'str') return tok.v;
    if (tok.t === 'id' && (tok.v === 'true' || tok.v === 'false')) return tok.v === 'true';
    if (tok.t !== 'id' || tok.v !== 'resource') return fail();
    expect('.');
    const attr = tokens[pos++];
    if (attr?.t !== 'id' || !ATTRIBUTES.has(attr.v)) return fail();
    const s = resource[attr.v as keyof CelResource];
    if (!isOp('.')) return s;
    pos++;
    const method = tokens[pos++];
    if (method?.t !== 'id' || !(method.v in METHODS)) return fail();
    expect('(');
    const arg = tokens[pos++];
    if (arg?.t !== 'str') return fail();
    expect(')');
    return METHODS[method.v](s, arg.v);
  };
  const comparison = (): boolean => {
    if (isOp('(')) {
      pos++;
      const r = or();
      expect(')');
      return r;
    }
    if (isOp('!')) {
      pos++;
      return !comparison();
    }
    const left = value();
    if (isOp('==') || isOp('!=')) {
      const op = tokens[pos++].v;
      const right = value();
      return op === '==' ? left === right : left !== right;
    }
    if (typeof left !== 'boolean') return fail();
    return left;
  };
  const and = (): boolean => {
    let r = comparison();
    while (isOp('&&')) {
      pos++;
      const next = comparison();
      r = r && next;
    }
    return r;
  };
  const or = (): boolean => {
    let r = and();
    while (isOp('||')) {
      pos++;
      const next = and();
      r = r || next;
    }
    return r;
  };
  const result = or();
  if (pos !== tokens.length) fail();
  return result;
}
