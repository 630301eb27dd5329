import type { OrgId } from '@outpost/shared';
import { AppError, andMore, listedProblems, quoted } from '../errors.js';
import type { Store } from '../store/types.js';
import { decodeListCursor, encodeListCursor } from './cursor.js';
import { FILTERABLE } from './rows.js';
import type { ListQuery, Page, Row } from './types.js';

const MAX_LIST_LIMIT = 1000;

/** One page of live rows of an org, by equality filters, in id order with an opaque cursor. */
export async function listPage(store: Store, orgId: OrgId, query: ListQuery): Promise<Page<Row>> {
  const allowed = FILTERABLE[query.entity];
  const unknown = Object.keys(query.filter).filter((f) => !allowed.includes(f));
  if (unknown.length > 0) {
    const { listed, more } = listedProblems(unknown.map((f) => quoted(f)));
    throw new AppError(
      'VALIDATION',
      `Cannot filter ${query.entity}s by ${listed.join(', ')}${andMore(more)} (allowed: ${allowed.join(', ')})`,
      { unknownFilters: listed },
    );
  }
  const limit = Math.min(Math.max(Math.trunc(query.limit), 1), MAX_LIST_LIMIT);
  const rows = await store.listRows({
    orgId,
    entity: query.entity,
    filter: query.filter,
    afterId:
      query.after === undefined
        ? null
        : decodeListCursor(orgId, query.entity, query.filter, query.after),
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  const nextCursor =
    rows.length > limit
      ? encodeListCursor(orgId, query.entity, query.filter, items.at(-1)!.id)
      : null;
  return { items: items.map((r) => r.data as unknown as Row), nextCursor };
}
