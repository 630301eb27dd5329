// The compiled checks' declarations: `check.ts` gives them their types from the schemas.
export declare const check: unknown;
// What the engine stores for the app alone (`stored.ts` gives it its types).
export declare const stored: unknown;
