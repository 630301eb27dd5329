/**
 * The stored id a caller's id names. A UUID is the same in either case (RFC 9562), and rows are
 * created in lower case only (a create refuses another case: the creating replica keys its row
 * by the id it sent), so `0193ABCD-…` is the row `0193abcd-…` — unless a row was stored under
 * the id as sent (in upper case, before creates refused that): then it is that row.
 * `storedAsSent` says whether the caller's org holds such a row of the entity meant; it is asked
 * only for an id that is not lower case already.
 */
export async function storedIdOf<Id extends string>(
  id: Id,
  storedAsSent: (id: Id) => Promise<boolean>,
): Promise<Id> {
  const lower = id.toLowerCase() as Id;
  if (lower === id || (await storedAsSent(id))) return id;
  return lower;
}
