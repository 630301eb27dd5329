/** Exhaustiveness guard: a `switch` over a union ends in `default: unreachable(x)`. */
export function unreachable(value: never): never {
  throw new Error(`Unreachable: unexpected value ${JSON.stringify(value)}`);
}
