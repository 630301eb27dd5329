import { unreachable, type Mutation, type MutationResult, type Writer } from '@outpost/shared';
import type { z } from 'zod/mini';
import type { noticeKindSchema, noticeSchema } from './schemas';

export type NoticeKind = z.infer<typeof noticeKindSchema>;

/**
 * Something sync did that the user should know about: its kind and the facts (`detail`,
 * built in `notice-drafts.ts`). The words are the app's (`app/engine/notice-text.ts`).
 */
export type Notice = z.infer<typeof noticeSchema>;

/**
 * A `conflict` notice's detail (the app parses it: `app/engine/notice-text.ts`): this device's value of one field lost. `mine` is what "Use
 * mine" writes again; `theirs` is the value kept (absent when a deletion or an empty value won).
 */
export interface ConflictDetail {
  activityId: string;
  /**
   * The conflict's place in the org's log (the activity's `version`): a mirror whose pull cursor
   * has reached it holds what followed the conflict. Absent from a notice of an older version.
   */
  version?: number;
  entity: string;
  entityId: string;
  field: string;
  mine: unknown;
  theirs?: unknown;
  /** The row's deletion won (the activity's `lostToDelete`); an empty winning value has no `theirs` either. */
  deleted: boolean;
  winner: Writer | null;
  at: string;
}

/** One push as the sync inspector shows it. */
export interface PushRecord {
  at: number;
  mutations: { id: number; type: Mutation['type']; entityId: string }[];
  results: MutationResult[];
  error: string | null;
}

export interface NoticesState {
  notices: readonly Notice[];
  /** Most recent first, bounded. */
  history: readonly PushRecord[];
  /** Ids of dismissed notices that report one past event (`ONCE`), oldest first, bounded. */
  dismissed: readonly string[];
}

export type NoticesAction =
  | { type: 'raise'; notice: Notice }
  | { type: 'dismiss'; id: string }
  | { type: 'pushed'; record: PushRecord }
  | { type: 'clear' }
  /** Answered in an earlier page of this database (`stored-notices.ts`). */
  | { type: 'answered-before'; ids: readonly string[] };

const MAX_NOTICES = 50;
const MAX_HISTORY = 50;
export const MAX_DISMISSED = 500;

/**
 * Kinds that report one past event under a stable id: the same event arrives again (a push
 * answer's refusal, then its audit entry in the pull; a re-pull after a resync; another tab),
 * and once dismissed it stays dismissed. The others describe a state (storage full, an update
 * needed, sync blocked) and are raised again when it recurs after a dismissal.
 */
export const ONCE: ReadonlySet<NoticeKind> = new Set(['rejected', 'conflict']);

export const initialNotices: NoticesState = { notices: [], history: [], dismissed: [] };

export function noticesReducer(state: NoticesState, action: NoticesAction): NoticesState {
  switch (action.type) {
    case 'raise': {
      const { id } = action.notice;
      if (state.notices.some((n) => n.id === id) || state.dismissed.includes(id)) return state;
      return { ...state, notices: [...state.notices, action.notice].slice(-MAX_NOTICES) };
    }
    case 'dismiss': {
      const gone = state.notices.find((n) => n.id === action.id);
      if (!gone) return state;
      return {
        ...state,
        notices: state.notices.filter((n) => n !== gone),
        dismissed: ONCE.has(gone.kind)
          ? [...state.dismissed, gone.id].slice(-MAX_DISMISSED)
          : state.dismissed,
      };
    }
    case 'pushed':
      return { ...state, history: [action.record, ...state.history].slice(0, MAX_HISTORY) };
    case 'clear':
      return initialNotices;
    case 'answered-before': {
      const ids = new Set(action.ids);
      return {
        ...state,
        notices: state.notices.filter((n) => !ids.has(n.id)),
        dismissed: [...new Set([...action.ids, ...state.dismissed])].slice(-MAX_DISMISSED),
      };
    }
    default:
      return unreachable(action);
  }
}
