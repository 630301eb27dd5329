/** A request that got no answer at all: the fetch itself failed (no network, no server). */
export class Unanswered extends Error {
  override name = 'Unanswered';
  constructor() {
    super('the server could not be reached. Try again when you are online.');
  }
}

/**
 * What an admin is told when a Members request failed. With no answer while the browser says it
 * is offline, the connection went mid-request: say so plainly, and that it may have gone through
 * (the server may have applied it before the answer was lost). `offline`: `!navigator.onLine`.
 */
export function failureText(what: string, name: string, err: unknown, offline: boolean): string {
  if (wentOffline(err, offline))
    return `You’re offline, so the request to ${what} ${name} may not have reached the server. Once you’re back online, this page shows whether it did.`;
  return `Could not ${what} ${name}: ${err instanceof Error ? err.message : String(err)}`;
}

/** How an action reads as the subject of a sentence ("removing Ben", "revoking the invitation for Bea"). */
const DOING = {
  remove: 'removing',
  'revoke the invitation for': 'revoking the invitation for',
} as const;

/** The actions a Members confirmation asks about, as `failureText` words them. */
export type AskedAction = keyof typeof DOING;

/**
 * Why a Remove / Revoke confirmation's button waits while offline, naming the action and the
 * person, so the question's answer is never one sentence for both. `what` as in `failureText`.
 */
export function offlineWaitText(what: AskedAction, name: string): string {
  return `You’re offline — ${DOING[what]} ${name} needs a connection. It works again once you’re back online.`;
}

/** The failure is the connection going, not something the server said. */
export function wentOffline(err: unknown, offline: boolean): boolean {
  return err instanceof Unanswered && offline;
}
