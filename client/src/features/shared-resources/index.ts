export {
  SharedResourcesBrowser,
  DEFAULT_KINDS,
  type SharedResourcesBrowserProps,
} from './SharedResourcesBrowser';
export { sharedResourceKeys } from './query-keys';
export type { FetchJson } from './api';
