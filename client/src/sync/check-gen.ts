/**
 * Compiles the zod/mini schemas the engine checks at runtime (`schemas.ts#checked`) into plain
 * JavaScript validators (`check.generated.js`, written by `pnpm gen:checks` and committed, so
 * any bundler or runner gets them): the engine ships these few kB instead of zod's runtime.
 * The schemas stay the one source; `check.test.ts` feeds zod and the output the same inputs,
 * and fails when the committed file is not what the schemas give.
 *
 * Supported: what the checked schemas use. Anything else (a transform, a default, an unknown
 * refinement) throws here, so a schema change can never silently weaken a check.
 */

/** The slice of a zod/mini schema's internals this compiler reads. */
interface Schema {
  _zod: { def: Def; optin?: 'optional' | 'defaulted'; optout?: 'optional' };
}
interface Def {
  type: string;
  checks?: Schema[];
  check?: string;
  [k: string]: unknown;
}

/** A registry node: a schema, an object schema's key list, a constant, or a group of nodes. */
export type Checked = Schema | { keysOf: Schema } | number | string | { [k: string]: Checked };

export interface GenerateOptions {
  /** Refinement functions the output imports by name from `@outpost/shared`. */
  predicates: Record<string, (s: string) => boolean>;
  /**
   * Registries exported beside `check` under their own names, built only when imported: each is
   * a pure call, and so are the validators defined for them, so a bundle that does not import
   * one drops its checks (what the engine stores for the app alone: `stored.ts`).
   */
  apart?: Record<string, Checked>;
}

const isSchema = (n: unknown): n is Schema =>
  typeof n === 'object' && n !== null && '_zod' in n && typeof n._zod === 'object';

const q = (v: unknown) => JSON.stringify(v);

/**
 * The runtime every validator is built from; issues read like zod's English ones (code, path,
 * message). A validator is `(x, p, k, I) => parsed`: it checks `x`, found at key `k` of path
 * `p` (`k` is undefined at the root), pushing issues to `I`; its own path (`A(p,k)`) is built
 * only when a scalar reports an issue, or once per structure. The output is one combinator
 * call per schema (messages built here from their bounds), not code per schema: half the gzip
 * bytes in the engine bundle, about 1.3x the time (10,000 changes: ~10 ms more).
 */
const RUNTIME = `
const A=(p,k)=>k===undefined?p:[...p,k];
const q=(v)=>JSON.stringify(v);
const isObj=(x)=>typeof x==='object'&&x!==null&&!Array.isArray(x);
function isPlain(o){if(!isObj(o))return false;const c=o.constructor;if(c===undefined||typeof c!=='function')return true;const p=c.prototype;return isObj(p)&&Object.prototype.hasOwnProperty.call(p,'isPrototypeOf')}
const got=(x)=>x===null?'null':Array.isArray(x)?'array':typeof x==='number'&&!Number.isFinite(x)?String(x):typeof x;
function T(I,path,e,x){I.push({code:'invalid_type',expected:e,path,message:'Invalid input: expected '+e+', received '+got(x)})}
function F(I,path,code,message){I.push({code,path,message})}
// A scalar: its type (name and test), then its checks in order — a transform (x=x.trim()), or
// [fails, code or code(x), message, stops the rest].
const V=(t,is,...cs)=>(x,p,k,I)=>{if(!is(x)){T(I,A(p,k),t,x);return x}for(let i=0;i<cs.length;i++){const c=cs[i];if(typeof c==='function')x=c(x);else if(c[0](x)){F(I,A(p,k),typeof c[1]==='function'?c[1](x):c[1],c[2]);if(c[3])break}}return x};
const isStr=(x)=>typeof x==='string';
const isBool=(x)=>typeof x==='boolean';
const trim=(x)=>x.trim();
// A string's length bound; a number bound (>, >=, <, <=).
const L=(big,n)=>[(x)=>big?x.length>n:x.length<n,big?'too_big':'too_small','Too '+(big?'big':'small')+': expected string to have '+(big?'<=':'>=')+n+' characters'];
const B=(big,inc,v)=>[(x)=>!(big?(inc?x<=v:x<v):inc?x>=v:x>v),big?'too_big':'too_small','Too '+(big?'big':'small')+': expected number to be '+(big?'<':'>')+(inc?'=':'')+v];
const SAFE=[(x)=>!Number.isSafeInteger(x),(x)=>Number.isInteger(x)?'too_big':'invalid_type','Invalid input: expected a safe integer',1];
const P=(r,m)=>[(x)=>!r.test(x),'invalid_format',m];
const C=(f,m)=>[(x)=>!f(x),'custom',m];
const E=(...vs)=>(x,p,k,I)=>{if(!vs.includes(x))F(I,A(p,k),'invalid_value','Invalid option: expected one of '+vs.map(q).join('|'));return x};
const any=(x)=>x;
const Nul=(f)=>(x,p,k,I)=>x===null?x:f(x,p,k,I);
const Opt=(f)=>(x,p,k,I)=>x===undefined?x:f(x,p,k,I);
const Arr=(f)=>(x,p,k,I)=>{if(!Array.isArray(x)){T(I,A(p,k),'array',x);return x}const P=A(p,k),o=new Array(x.length);for(let i=0;i<x.length;i++)o[i]=f(x[i],P,i,I);return o};
// A record's keys: what JSON or a structured clone (IndexedDB, BroadcastChannel) gives is own,
// enumerable and strings (a change's clocks, its one use, come off the network).
const Rec=(f)=>(x,p,k,I)=>{if(!isPlain(x)){T(I,A(p,k),'record',x);return x}const P=A(p,k),o={};for(const j of Object.keys(x))if(j!=='__proto__')o[j]=f(x[j],P,j,I);return o};
// A discriminated union: the option of each discriminator value.
const Uni=(d,m)=>(x,p,k,I)=>{if(!isObj(x)){T(I,A(p,k),'object',x);return x}const f=m.get(x[d]);if(f)return f(x,p,k,I);F(I,[...A(p,k),d],'invalid_union','Invalid input: expected '+d+' to be one of '+[...m.keys()].map(q).join('|'));return x};
// An object: its fields as {key: check, or [check] when optional}. A required key's own issue, or
// "nonoptional" when it is absent yet took undefined; an optional key absent is neither checked
// nor written; a strict object reports unknown keys. Its validator carries its keys (keys) and
// makes its partial (every key optional, as z.partial).
const O=(shape,strict)=>{const S=Object.entries(shape).map(([j,f])=>Array.isArray(f)?[j,f[0],1]:[j,f]),has=strict&&new Set(S.map((r)=>r[0]));return Object.assign((x,p,k,I)=>{if(!isObj(x)){T(I,A(p,k),'object',x);return x}const P=A(p,k),o={};for(const[j,f,opt]of S){if(opt){if(j in x)o[j]=f(x[j],P,j,I)}else{const n=I.length,v=f(x[j],P,j,I);if(j in x)o[j]=v;else if(I.length===n)T(I,[...P,j],'nonoptional')}}if(has){const u=[];for(const key in x)if(!has.has(key))u.push(key);if(u.length)I.push({code:'unrecognized_keys',keys:u,path:P,message:'Unrecognized key'+(u.length>1?'s':'')+': '+u.map(q).join(', ')})}return o},{keys:Object.keys(shape),partial:()=>O(Object.fromEntries(S.map(([j,f])=>[j,[Opt(f)]])),strict)})};
function mk(f){return{safeParse(x){const I=[];const data=f(x,[],undefined,I);return I.length?{success:false,error:{issues:I,get message(){return JSON.stringify(I,null,2)}}}:{success:true,data}}}}
`;

export const GENERATED_HEADER =
  '// Generated from client/src/sync/schemas.ts by `pnpm gen:checks` (check-gen.ts). Do not edit.';

/**
 * The module `check.ts` re-exports: `export const check` with `registry`'s shape (and each of
 * `options.apart` as its own export).
 */
export function generateChecks(registry: Checked, options: GenerateOptions): string {
  const nameByExpr = new Map<string, string>();
  const nameBySchema = new Map<Schema, string>();
  const defs: string[] = [];
  const regexes = new Map<string, string>();
  const used = new Set<string>();
  /** Plain objects compiled so far (a union's options excepted), for `partialOf`. */
  const plain: Schema[] = [];
  const predicateName = new Map<unknown, string>(
    Object.entries(options.predicates).map(([name, fn]) => [fn, name]),
  );

  /**
   * A reference to a schema's validator (a placeholder `link` resolves): schemas that compile
   * alike share one, defined after those it uses.
   */
  function fnOf(s: Schema): string {
    const known = nameBySchema.get(s);
    if (known) return known;
    const ref = refOf(compile(s));
    nameBySchema.set(s, ref);
    return ref;
  }

  /** The placeholder of a validator's expression (one per distinct expression). */
  function refOf(expr: string): string {
    let ref = nameByExpr.get(expr);
    if (!ref) {
      ref = `\0${defs.length}\0`;
      nameByExpr.set(expr, ref);
      defs.push(expr);
    }
    return ref;
  }

  /** A schema's validator, as a combinator call of the runtime. */
  function compile(s: Schema): string {
    const d = s._zod.def;
    switch (d.type) {
      case 'string':
        return `V('string',isStr${stringChecks(s)})`;
      case 'number':
        return `V('number',Number.isFinite${numberChecks(s)})`;
      case 'boolean':
        noChecks(s);
        return `V('boolean',isBool)`;
      case 'unknown':
        noChecks(s);
        return 'any';
      case 'literal':
      case 'enum': {
        noChecks(s);
        const values =
          d.type === 'literal'
            ? (d.values as unknown[])
            : Object.values(d.entries as Record<string, unknown>);
        // zod words a single value otherwise; only discriminators have one (read as `any`).
        if (values.length < 2) throw new Error('check-gen: a single-valued literal or enum');
        return `E(${values.map(literal).join(',')})`;
      }
      case 'nullable':
        noChecks(s);
        return `Nul(${fnOf(d.innerType as Schema)})`;
      case 'optional':
        noChecks(s);
        if ((d.innerType as Schema)._zod.optin === 'defaulted')
          throw new Error('check-gen: defaults are not supported');
        return `Opt(${fnOf(d.innerType as Schema)})`;
      case 'object':
        return object(s);
      case 'array':
        // No checked array has a length bound (the runtime has none to offer).
        noChecks(s);
        return `Arr(${fnOf(d.element as Schema)})`;
      case 'record': {
        noChecks(s);
        const key = d.keyType as Schema;
        if (key._zod.def.type !== 'string' || key._zod.def.checks?.length || key._zod.def.format)
          throw new Error('check-gen: only z.record(z.string(), …) is supported');
        return `Rec(${fnOf(d.valueType as Schema)})`;
      }
      case 'union':
        return union(s);
      default:
        throw new Error(`check-gen: schema type "${d.type}" is not supported`);
    }
  }

  /** A literal the runtime compares with `includes` (SameValueZero): never NaN. */
  function literal(v: unknown): string {
    if (typeof v === 'number' && !Number.isFinite(v))
      throw new Error('check-gen: only finite number literals are supported');
    if (v !== null && !['string', 'number', 'boolean'].includes(typeof v))
      throw new Error('check-gen: only string, number, boolean and null literals are supported');
    return q(v);
  }

  function noChecks(s: Schema) {
    if (s._zod.def.checks?.length)
      throw new Error(`check-gen: checks on a ${s._zod.def.type} are not supported`);
  }

  function stringChecks(s: Schema): string {
    const d = s._zod.def;
    let out = '';
    // A format schema (z.email(), z.iso.datetime()) checks its pattern before its own checks.
    if (d.format) out += format(d.format as string, d.pattern as RegExp);
    for (const c of d.checks ?? []) {
      const cd = c._zod.def;
      switch (cd.check) {
        case 'min_length':
          out += `,L(0,${cd.minimum})`;
          break;
        case 'max_length':
          out += `,L(1,${cd.maximum})`;
          break;
        case 'string_format':
          out += format(cd.format as string, cd.pattern as RegExp, message(c));
          break;
        case 'overwrite': {
          // z.trim() is the one overwrite the schemas use; anything else must be taught here.
          const tx = cd.tx as (v: string) => string;
          if (!/\.trim\(\)/.test(String(tx)) || tx(' \ta\n ') !== 'a')
            throw new Error('check-gen: only z.trim() overwrites are supported');
          out += `,trim`;
          break;
        }
        case 'custom':
          out += `,C(${predicate(cd.fn)},${q(message(c) ?? 'Invalid input')})`;
          break;
        default:
          throw new Error(`check-gen: string check "${cd.check}" is not supported`);
      }
    }
    return out;
  }

  function format(name: string, pattern: RegExp, msg?: string): string {
    if (!(pattern instanceof RegExp)) throw new Error(`check-gen: format "${name}" has no pattern`);
    if (pattern.global || pattern.sticky)
      throw new Error('check-gen: stateful regexes are not supported');
    const text =
      msg ??
      (name === 'regex'
        ? `Invalid string: must match pattern ${pattern}`
        : name === 'email'
          ? 'Invalid email address'
          : `Invalid ISO ${name}`);
    const r = pattern.toString();
    if (!regexes.has(r)) regexes.set(r, `R${regexes.size}`);
    return `,P(${regexes.get(r)},${q(text)})`;
  }

  function numberChecks(s: Schema): string {
    let out = '';
    for (const c of s._zod.def.checks ?? []) {
      const cd = c._zod.def;
      switch (cd.check) {
        case 'number_format':
          if (cd.format !== 'safeint') throw new Error(`check-gen: number format "${cd.format}"`);
          // Not a safe integer stops the checks after it, as in zod.
          out += ',SAFE';
          break;
        case 'greater_than':
        case 'less_than': {
          const v = cd.value as number;
          if (!Number.isFinite(v)) throw new Error('check-gen: a number bound must be finite');
          out += `,B(${cd.check === 'less_than' ? 1 : 0},${cd.inclusive ? 1 : 0},${v})`;
          break;
        }
        default:
          throw new Error(`check-gen: number check "${cd.check}" is not supported`);
      }
    }
    return out;
  }

  function predicate(fn: unknown): string {
    const name = predicateName.get(fn);
    if (!name)
      throw new Error(
        'check-gen: a refinement that is not a named predicate (GenerateOptions.predicates)',
      );
    used.add(name);
    return name;
  }

  function message(c: Schema): string | undefined {
    const e = (c._zod.def.error as (() => unknown) | undefined)?.();
    if (typeof e === 'string') return e;
    if (typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string')
      return e.message;
    return undefined;
  }

  /** A discriminated union: its options by discriminator value, in order. */
  function union(s: Schema): string {
    noChecks(s);
    const d = s._zod.def;
    const disc = d.discriminator as string | undefined;
    if (!disc) throw new Error('check-gen: only discriminated unions are supported');
    const cases = (d.options as Schema[]).flatMap((o) => {
      const lit = (o._zod.def.shape as Record<string, Schema>)[disc]!._zod.def;
      if (lit.type !== 'literal') throw new Error('check-gen: a discriminator must be a literal');
      // The option is chosen by its discriminator's value: its literal check cannot fail.
      const fn = refOf(object(o, disc));
      return (lit.values as unknown[]).map((v) => `[${literal(v)},${fn}]`);
    });
    return `Uni(${q(disc)},new Map([${cases.join(',')}]))`;
  }

  /**
   * An object: its fields (`{key: check}`, `[check]` when optional) run by `O` in the runtime;
   * `chosenBy`, a union's discriminator, is copied unchecked.
   */
  function object(s: Schema, chosenBy?: string): string {
    noChecks(s);
    const d = s._zod.def;
    const shape = d.shape as Record<string, Schema>;
    const catchall = d.catchall as Schema | undefined;
    if (catchall && catchall._zod.def.type !== 'never')
      throw new Error('check-gen: only strict (never) or stripping objects are supported');
    const whole = chosenBy === undefined && partialOf(shape, catchall);
    if (whole) return `${whole}.partial()`;
    if (chosenBy === undefined) plain.push(s);
    const rows = Object.entries(shape).map(([key, f]) => {
      const { optin, optout } = f._zod;
      if (optin === 'defaulted') throw new Error('check-gen: defaults are not supported');
      if ((optin === undefined) !== (optout === undefined))
        throw new Error(`check-gen: key "${key}" is optional on one side only`);
      // As an object literal's key: not reordered (an integer), not the prototype.
      if (key === '__proto__' || /^(?:0|[1-9]\d*)$/.test(key))
        throw new Error(`check-gen: key "${key}" is not supported`);
      if (key === chosenBy && !optin) return `${q(key)}:any`;
      return `${q(key)}:${optin ? `[${fnOf(f)}]` : fnOf(f)}`;
    });
    return `O({${rows.join(',')}}${catchall ? ',1' : ''})`;
  }

  /**
   * The object compiled before whose partial (z.partial) this shape is: the same keys in the
   * same order, each the optional of its field, and the same strictness.
   */
  function partialOf(shape: Record<string, Schema>, catchall: Schema | undefined): string | false {
    const keys = Object.keys(shape);
    const of = plain.find((o) => {
      const od = o._zod.def;
      const own = od.shape as Record<string, Schema>;
      return (
        !od.catchall === !catchall &&
        keys.length === Object.keys(own).length &&
        Object.keys(own).every(
          (k, i) =>
            keys[i] === k &&
            shape[k]!._zod.def.type === 'optional' &&
            shape[k]!._zod.def.innerType === own[k],
        )
      );
    });
    return of ? fnOf(of) : false;
  }

  function node(n: Checked): string {
    if (typeof n !== 'object') return q(n);
    if (isSchema(n)) return `mk(${fnOf(n)})`;
    // An object's validator carries its keys (`O` in the runtime).
    if ('keysOf' in n && isSchema(n.keysOf)) return `${fnOf(n.keysOf)}.keys`;
    return `{${Object.entries(n)
      .map(([k, v]) => `${q(k)}:${node(v as Checked)}`)
      .join(',')}}`;
  }
  const emitted = [
    `export const check=${node(registry)};`,
    ...Object.entries(options.apart ?? {}).map(
      ([name, r]) => `export const ${name}=/* @__PURE__ */(()=>(${node(r)}))();`,
    ),
  ].join('\n');

  /**
   * Resolves the placeholders (NUL never occurs in quoted text): a validator used once is
   * written where it is used, one used more often is a `const` defined before its first use.
   */
  const uses = new Map<string, number>();
  for (const text of [...defs, emitted])
    for (const [, i] of text.matchAll(/\0(\d+)\0/g)) uses.set(i!, (uses.get(i!) ?? 0) + 1);
  const link = (text: string): string =>
    text.replace(/\0(\d+)\0/g, (_, i: string) => (uses.get(i) === 1 ? link(defs[+i]!) : `v${i}`));
  // Pure calls: a validator only an `apart` registry uses leaves a bundle without it.
  const consts = defs.flatMap((expr, i) =>
    (uses.get(String(i)) ?? 0) > 1
      ? [`const v${i}=${/^\w+\(/.test(expr) ? '/* @__PURE__ */' : ''}${link(expr)};`]
      : [],
  );

  const imports = used.size
    ? `import { ${[...used].sort().join(', ')} } from '@outpost/shared';`
    : '';
  return [
    GENERATED_HEADER,
    imports,
    RUNTIME.trim(),
    ...[...regexes].map(([r, name]) => `const ${name}=${r};`),
    ...consts,
    link(emitted),
    '',
  ].join('\n');
}
