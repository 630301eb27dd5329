import type { FastifySchemaCompiler, RouteOptions } from 'fastify';
import { z } from 'zod';
import { safeParse, type $ZodType } from 'zod/v4/core';
import { fieldIssues, validationError, type SchemaIssue } from './errors.js';

/**
 * Every route's request validation (`app.setValidatorCompiler`): a zod schema per part, and a
 * refusal is 400 VALIDATION built here once (`fieldIssues`), so each issue points at what it is
 * about — an unknown key at the key (`/extra`), a repeated query parameter at the parameter.
 */
export const validatorCompiler: FastifySchemaCompiler<$ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = safeParse(schema, data);
    if (result.success) return { value: result.data };
    const issues =
      httpPart === 'querystring' ? repeatedParams(data, result.error.issues) : result.error.issues;
    return { error: validationError(httpPart ?? 'request', fieldIssues(issues)) };
  };

/**
 * A query parameter given twice (`?limit=5&limit=6`) reaches the schema as an array, which no
 * query of the API takes: its issues ("expected number, received NaN") say nothing of why, so
 * they are replaced by one that does. Only when the query was refused: a parameter whose
 * schema took the array stays valid.
 */
function repeatedParams(query: unknown, issues: readonly SchemaIssue[]): readonly SchemaIssue[] {
  if (typeof query !== 'object' || query === null) return issues;
  const repeated = Object.entries(query).filter((entry): entry is [string, unknown[]] =>
    Array.isArray(entry[1]),
  );
  if (repeated.length === 0) return issues;
  const names = new Set(repeated.map(([name]) => name));
  return [
    ...repeated.map(([name, values]) => ({
      path: [name],
      message: `given ${values.length} times: give each query parameter once`,
    })),
    ...issues.filter((i) => !(i.path.length > 0 && names.has(String(i.path[0])))),
  ];
}

/** The query of a route that takes none: any parameter is unknown. */
const NO_QUERY = z.strictObject({});

/**
 * `onRoute` for the API: a route without a query schema takes no query parameters, so one is
 * refused as on every route with a schema (400 VALIDATION, `/bogus` "Unrecognized key") instead
 * of being ignored. Nothing the app, the service worker or the socket sends has a query there.
 */
export function refuseUnknownQuery(route: RouteOptions): void {
  route.schema = { ...route.schema, querystring: route.schema?.querystring ?? NO_QUERY };
}
