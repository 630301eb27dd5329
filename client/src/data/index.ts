/** The read layer for components: TanStack Query fed live from the Dexie mirror. */
export { queryKeys, type TaskFilter } from './queryKeys';
export {
  createQueryClient,
  createPersistOptions,
  queryCacheKey,
  shouldRetry,
  retryDelay,
  statusOf,
  MAX_RETRY_DELAY_MS,
  PERSIST_MAX_AGE_MS,
} from './queryClient';
export {
  useProjects,
  useProject,
  useTaskOrProject,
  useConflictRow,
  useTasks,
  useActivities,
  useUsers,
  useSyncStatus,
  useStatusOf,
  useSetUp,
  useNotices,
} from './hooks';
export {
  ROW_WINDOW,
  useHiddenTaskIds,
  useTaskIds,
  useTaskCounts,
  useTaskHead,
  useTaskWindows,
  useStoredTask,
  useWarmSearchIndex,
  useTask,
  useSearchEntries,
  useEntityActivities,
  useEntitiesActivities,
  useEntityNames,
  useTaskProjects,
  useDeletedWithProject,
  useOutbox,
  useUnsentIds,
} from './task-hooks';
export { useOpenTaskLists, type OpenTaskLists } from './open-lists';
export { useSyncClient } from './context';
export { OutpostDataProvider } from './provider';
export { usePendingDeletes } from './pending-context';
export {
  createPendingDeletes,
  pendingDeletesKey,
  UNDO_WINDOW_MS,
  type DeleteIntent,
  type PendingDeletes,
} from './pending-deletes';
export { changedKeys, createTaskView, type TaskView, type TaskViewSpec } from './task-view';
export {
  taskSearchIndex,
  createTaskSearchIndex,
  searchEntry,
  searchText,
  type SearchEntry,
  type SearchSnapshot,
  type TaskSearchIndex,
} from './search-index';
export { QueryDevtools } from './devtools';
export { liveQueryOptions, subscribeLive, useLiveData, parseRows, type LiveOptions } from './live';
export { whenIdle } from './idle';
export {
  readProjects,
  readProject,
  readTasks,
  readTaskIds,
  readTaskCounts,
  readTaskHead,
  readTasksByIds,
  readTaskWindow,
  readTask,
  readActivities,
  readEntityActivities,
  readConflictRow,
  readEntityNames,
  carriedName,
  readOutbox,
  readUnsentIds,
  type TaskCounts,
  type TaskHead,
  type OutboxItem,
} from './reads';
