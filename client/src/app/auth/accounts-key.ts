/** localStorage key of the accounts signed in on this device (`accounts.ts`). */
export const ACCOUNTS_KEY = 'outpost.accounts.v1';

/**
 * Whether the stored accounts name a current one: a hint read before anything else loads, so
 * it is checked for shape only; `createAccounts` parses the whole state.
 */
export function hasCurrentAccount(storage: Pick<Storage, 'getItem'>): boolean {
  try {
    const saved: unknown = JSON.parse(storage.getItem(ACCOUNTS_KEY) ?? 'null');
    return (
      typeof saved === 'object' &&
      saved !== null &&
      'currentUserId' in saved &&
      typeof saved.currentUserId === 'string'
    );
  } catch {
    return false;
  }
}
