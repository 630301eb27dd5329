import { unreachable, type Mutation, type MutationResult } from '@outpost/shared';

export type NoticeKind =
  'rejected' | 'conflict' | 'evicted' | 'quota' | 'update-required' | 'sync-blocked';

export interface Notice {
  id: string;
  kind: NoticeKind;
  message: string;
  detail: unknown;
  at: number;
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
}

export type NoticesAction =
  | { type: 'raise'; notice: Notice }
  | { type: 'dismiss'; id: string }
  | { type: 'pushed'; record: PushRecord }
  | { type: 'clear' };

const MAX_NOTICES = 50;
const MAX_HISTORY = 50;

export const initialNotices: NoticesState = { notices: [], history: [] };

export function noticesReducer(state: NoticesState, action: NoticesAction): NoticesState {
  switch (action.type) {
    case 'raise':
      if (state.notices.some((n) => n.id === action.notice.id)) return state;
      return { ...state, notices: [...state.notices, action.notice].slice(-MAX_NOTICES) };
    case 'dismiss':
      return state.notices.some((n) => n.id === action.id)
        ? { ...state, notices: state.notices.filter((n) => n.id !== action.id) }
        : state;
    case 'pushed':
      return { ...state, history: [action.record, ...state.history].slice(0, MAX_HISTORY) };
    case 'clear':
      return initialNotices;
    default:
      return unreachable(action);
  }
}
