// The compiled checks' declarations: `check.ts` gives them their types from the schemas.
export declare const check: unknown;
