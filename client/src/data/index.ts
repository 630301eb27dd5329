/** The read layer for components: TanStack Query fed live from the Dexie mirror. */
export { queryKeys, type TaskFilter } from './queryKeys';
export { createQueryClient, createPersistOptions, shouldRetry, retryDelay, MAX_RETRY_DELAY_MS, PERSIST_MAX_AGE_MS } from './queryClient';
export { useProjects, useProject, useTasks, useActivities, useUsers, useSyncStatus, useNotices } from './hooks';
export { SyncProvider, useSyncClient } from './context';
export { OutpostDataProvider } from './provider';
export { QueryDevtools } from './devtools';
export { liveQueryOptions, subscribeLive, useLiveData, parseRows } from './live';
export { readProjects, readProject, readTasks, readActivities, readUsers } from './reads';
