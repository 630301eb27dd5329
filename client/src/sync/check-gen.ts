/**
 * Compiles the zod/mini schemas the engine checks at runtime (`schemas.ts#checked`) into plain
 * JavaScript validators, at build time: the engine ships these few kB instead of zod's runtime.
 * The schemas stay the one source; `check.test.ts` feeds zod and the output the same inputs.
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
}

const isSchema = (n: unknown): n is Schema =>
  typeof n === 'object' && n !== null && '_zod' in n && typeof n._zod === 'object';

const q = (v: unknown) => JSON.stringify(v);

/** The helpers every validator shares; issues read like zod's English ones (code, path, message). */
const RUNTIME = `
const A=(p,k)=>k===undefined?p:[...p,k];
const isObj=(x)=>typeof x==='object'&&x!==null&&!Array.isArray(x);
function isPlain(o){if(!isObj(o))return false;const c=o.constructor;if(c===undefined||typeof c!=='function')return true;const p=c.prototype;return isObj(p)&&Object.prototype.hasOwnProperty.call(p,'isPrototypeOf')}
const got=(x)=>x===null?'null':Array.isArray(x)?'array':typeof x==='number'&&!Number.isFinite(x)?String(x):typeof x;
function T(I,path,e,x){I.push({code:'invalid_type',expected:e,path,message:'Invalid input: expected '+e+', received '+got(x)})}
function F(I,path,code,message){I.push({code,path,message})}
function N(I,path){I.push({code:'invalid_type',expected:'nonoptional',path,message:'Invalid input: expected nonoptional, received undefined'})}
// An object: a required key's own issue, or "nonoptional" when it is absent yet took undefined;
// an optional key absent is neither checked nor written; a strict object reports unknown keys.
function O(S,K,x,p,k,I){if(!isObj(x)){T(I,A(p,k),'object',x);return x}const P=A(p,k),o={};for(const[j,f,opt]of S){if(opt){if(j in x)o[j]=f(x[j],P,j,I)}else{const n=I.length,v=f(x[j],P,j,I);if(j in x)o[j]=v;else if(I.length===n)N(I,[...P,j])}}if(K)U(x,K,P,I);return o}
function U(x,has,p,I){const k=[];for(const key in x)if(!has.has(key))k.push(key);if(k.length)I.push({code:'unrecognized_keys',keys:k,path:p,message:'Unrecognized key'+(k.length>1?'s':'')+': '+k.map((s)=>JSON.stringify(s)).join(', ')})}
function mk(f){return{safeParse(x){const I=[];const data=f(x,[],undefined,I);return I.length?{success:false,error:{name:'ValidationError',issues:I,get message(){return JSON.stringify(I,null,2)}}}:{success:true,data}}}}
`;

/** The module that replaces `check.ts`: `export const check` with `registry`'s shape. */
export function generateChecks(registry: Checked, options: GenerateOptions): string {
  const fnByBody = new Map<string, string>();
  const fnBySchema = new Map<Schema, string>();
  const fns: string[] = [];
  const regexes = new Map<string, string>();
  const keySets = new Map<string, string>();
  const used = new Set<string>();
  const predicateName = new Map<unknown, string>(
    Object.entries(options.predicates).map(([name, fn]) => [fn, name]),
  );

  const named = (table: Map<string, string>, prefix: string, key: string) => {
    if (!table.has(key)) table.set(key, `${prefix}${table.size}`);
    return table.get(key)!;
  };
  /**
   * A function `(x, p, k, I) => parsed`: checks `x`, found at key `k` of path `p` (`k` is
   * undefined at the root), pushing issues to `I`. Its own path (`A(p,k)`) is built only when a
   * scalar reports an issue, or once per structure. Schemas that compile alike share one.
   */
  function fnOf(s: Schema): string {
    const known = fnBySchema.get(s);
    if (known) return known;
    const body = `${compile(s)}return x`;
    let name = fnByBody.get(body);
    if (!name) {
      name = `v${fnByBody.size}`;
      fnByBody.set(body, name);
      fns.push(`function ${name}(x,p,k,I){${body}}`);
    }
    fnBySchema.set(s, name);
    return name;
  }

  /** The body of a schema's function: leaves the parsed value in `x`. */
  function compile(s: Schema): string {
    const d = s._zod.def;
    switch (d.type) {
      case 'string':
        return `if(typeof x!=='string')T(I,A(p,k),'string',x);else{${stringChecks(s)}}`;
      case 'number':
        return `if(typeof x!=='number'||!Number.isFinite(x))T(I,A(p,k),'number',x);else{${numberChecks(s)}}`;
      case 'boolean':
        noChecks(s);
        return `if(typeof x!=='boolean')T(I,A(p,k),'boolean',x);`;
      case 'unknown':
        noChecks(s);
        return '';
      case 'literal':
      case 'enum': {
        noChecks(s);
        const values =
          d.type === 'literal'
            ? (d.values as unknown[])
            : Object.values(d.entries as Record<string, unknown>);
        const test = values.map((v) => `x!==${q(v)}`).join('&&');
        const msg =
          values.length === 1
            ? `Invalid input: expected ${q(values[0])}`
            : `Invalid option: expected one of ${values.map((v) => q(v)).join('|')}`;
        return `if(${test})F(I,A(p,k),'invalid_value',${q(msg)});`;
      }
      case 'nullable':
        noChecks(s);
        return `if(x!==null)x=${fnOf(d.innerType as Schema)}(x,p,k,I);`;
      case 'optional':
        noChecks(s);
        if ((d.innerType as Schema)._zod.optin === 'defaulted')
          throw new Error('check-gen: defaults are not supported');
        return `if(x!==undefined)x=${fnOf(d.innerType as Schema)}(x,p,k,I);`;
      case 'object':
      case 'array':
      case 'record':
      case 'union':
        return structure(s);
      default:
        throw new Error(`check-gen: schema type "${d.type}" is not supported`);
    }
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
          out += `if(x.length<${cd.minimum})F(I,A(p,k),'too_small',${q(`Too small: expected string to have >=${cd.minimum} characters`)});`;
          break;
        case 'max_length':
          out += `if(x.length>${cd.maximum})F(I,A(p,k),'too_big',${q(`Too big: expected string to have <=${cd.maximum} characters`)});`;
          break;
        case 'string_format':
          out += format(cd.format as string, cd.pattern as RegExp, message(c));
          break;
        case 'overwrite': {
          // z.trim() is the one overwrite the schemas use; anything else must be taught here.
          const tx = cd.tx as (v: string) => string;
          if (!/\.trim\(\)/.test(String(tx)) || tx(' \ta\n ') !== 'a')
            throw new Error('check-gen: only z.trim() overwrites are supported');
          out += `x=x.trim();`;
          break;
        }
        case 'custom':
          out += `if(!${predicate(cd.fn)}(x))F(I,A(p,k),'custom',${q(message(c) ?? 'Invalid input')});`;
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
    return `if(!${named(regexes, 'R', pattern.toString())}.test(x))F(I,A(p,k),'invalid_format',${q(text)});`;
  }

  function numberChecks(s: Schema): string {
    let out = '';
    let close = '';
    for (const c of s._zod.def.checks ?? []) {
      const cd = c._zod.def;
      switch (cd.check) {
        case 'number_format':
          if (cd.format !== 'safeint') throw new Error(`check-gen: number format "${cd.format}"`);
          // Not a safe integer stops the checks after it, as in zod.
          out += `if(!Number.isSafeInteger(x))F(I,A(p,k),Number.isInteger(x)?'too_big':'invalid_type','Invalid input: expected a safe integer');else{`;
          close += '}';
          break;
        case 'greater_than':
        case 'less_than': {
          const big = cd.check === 'less_than';
          const op = big ? (cd.inclusive ? '<=' : '<') : cd.inclusive ? '>=' : '>';
          const v = cd.value as number;
          out += `if(!(x${op}${v}))F(I,A(p,k),${q(big ? 'too_big' : 'too_small')},${q(`Too ${big ? 'big' : 'small'}: expected number to be ${op}${v}`)});`;
          break;
        }
        default:
          throw new Error(`check-gen: number check "${cd.check}" is not supported`);
      }
    }
    return out + close;
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

  /** A structure's body: its path `P` built once, the parsed value left in `x`. */
  function structure(s: Schema): string {
    const d = s._zod.def;
    switch (d.type) {
      case 'object':
        return object(s);
      case 'array': {
        let b = `if(!Array.isArray(x)){T(I,A(p,k),'array',x);return x}const P=A(p,k),o=new Array(x.length);`;
        b += `for(let i=0;i<x.length;i++)o[i]=${fnOf(d.element as Schema)}(x[i],P,i,I);`;
        for (const c of d.checks ?? []) {
          const cd = c._zod.def;
          if (cd.check === 'min_length')
            b += `if(x.length<${cd.minimum})F(I,P,'too_small',${q(`Too small: expected array to have >=${cd.minimum} items`)});`;
          else if (cd.check === 'max_length')
            b += `if(x.length>${cd.maximum})F(I,P,'too_big',${q(`Too big: expected array to have <=${cd.maximum} items`)});`;
          else throw new Error(`check-gen: array check "${cd.check}" is not supported`);
        }
        return `${b}x=o;`;
      }
      case 'record': {
        noChecks(s);
        const key = d.keyType as Schema;
        if (key._zod.def.type !== 'string' || key._zod.def.checks?.length || key._zod.def.format)
          throw new Error('check-gen: only z.record(z.string(), …) is supported');
        let b = `if(!isPlain(x)){T(I,A(p,k),'record',x);return x}const P=A(p,k),o={};`;
        b += `for(const j of Reflect.ownKeys(x)){if(j==='__proto__'||!Object.prototype.propertyIsEnumerable.call(x,j))continue;`;
        b += `if(typeof j!=='string'){F(I,[...P,j],'invalid_key','Invalid key in record');continue}`;
        b += `o[j]=${fnOf(d.valueType as Schema)}(x[j],P,j,I)}`;
        return `${b}x=o;`;
      }
      case 'union': {
        noChecks(s);
        const disc = d.discriminator as string | undefined;
        if (!disc) throw new Error('check-gen: only discriminated unions are supported');
        const values: unknown[] = [];
        const cases = (d.options as Schema[]).map((o) => {
          const lit = (o._zod.def.shape as Record<string, Schema>)[disc]!._zod.def;
          if (lit.type !== 'literal')
            throw new Error('check-gen: a discriminator must be a literal');
          values.push(...(lit.values as unknown[]));
          return `${(lit.values as unknown[]).map((v) => `case ${q(v)}:`).join('')}return ${fnOf(o)}(x,p,k,I);`;
        });
        const msg = `Invalid input: expected ${disc} to be one of ${values.map((v) => q(v)).join('|')}`;
        return `if(!isObj(x)){T(I,A(p,k),'object',x);return x}switch(x[${q(disc)}]){${cases.join('')}}F(I,[...A(p,k),${q(disc)}],'invalid_union',${q(msg)});`;
      }
      default:
        throw new Error(`check-gen: schema type "${d.type}" is not supported`);
    }
  }

  /** An object: its fields as a table (`[key, check, optional]`) run by `O` in the runtime. */
  function object(s: Schema): string {
    noChecks(s);
    const d = s._zod.def;
    const shape = d.shape as Record<string, Schema>;
    const catchall = d.catchall as Schema | undefined;
    if (catchall && catchall._zod.def.type !== 'never')
      throw new Error('check-gen: only strict (never) or stripping objects are supported');
    const rows = Object.entries(shape).map(([key, f]) => {
      const { optin, optout } = f._zod;
      if (optin === 'defaulted') throw new Error('check-gen: defaults are not supported');
      if ((optin === undefined) !== (optout === undefined))
        throw new Error(`check-gen: key "${key}" is optional on one side only`);
      return `[${q(key)},${fnOf(f)}${optin ? ',1' : ''}]`;
    });
    const table = named(shapesByText, 'S', `[${rows.join(',')}]`);
    const strict = catchall ? named(keySets, 'K', q(Object.keys(shape))) : '0';
    return `return O(${table},${strict},x,p,k,I);`;
  }
  const shapesByText = new Map<string, string>();

  function node(n: Checked): string {
    if (typeof n !== 'object') return q(n);
    if (isSchema(n)) return `mk(${fnOf(n)})`;
    if ('keysOf' in n && isSchema(n.keysOf))
      return q(Object.keys(n.keysOf._zod.def.shape as object));
    return `{${Object.entries(n)
      .map(([k, v]) => `${q(k)}:${node(v as Checked)}`)
      .join(',')}}`;
  }
  const emitted = `export const check=${node(registry)};`;

  const imports = used.size
    ? `import { ${[...used].sort().join(', ')} } from '@outpost/shared';`
    : '';
  return [
    '// Generated by client/src/sync/check-gen.ts from schemas.ts at build time. Do not edit.',
    imports,
    RUNTIME.trim(),
    ...[...regexes].map(([r, name]) => `const ${name}=${r};`),
    ...[...keySets].map(([keys, name]) => `const ${name}=new Set(${keys});`),
    ...fns,
    ...[...shapesByText].map(([rows, name]) => `const ${name}=${rows};`),
    emitted,
    'export const GENERATED=true;',
    '',
  ].join('\n');
}
