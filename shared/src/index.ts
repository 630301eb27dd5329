export * from './asserts.js';
export * from './ids.js';
export { isUuid, isUuidV7, newClientId, newEntityId } from './uuid.js';
export * from './hlc.js';
export * from './rest-stamp.js';
export * from './merge.js';
export * from './apply-mutation.js';
export * from './permissions.js';
export * from './timers.js';
export * from './entities/common.js';
export * from './entities/text.js';
export * from './entities/user.js';
export * from './entities/project.js';
export * from './entities/task.js';
export * from './entities/activity.js';
export * from './entities/conflict.js';
export * from './entities/shared-resource.js';
export * from './protocol/external-data.js';
export * from './protocol/version.js';
export * from './protocol/error.js';
export {
  errorBodySchema,
  parseErrorOf,
  SYNC_ERROR_CODES,
  type ErrorBody,
} from './protocol/sync-errors.js';
export * from './protocol/mutation.js';
export * from './protocol/change.js';
export * from './protocol/push.js';
export * from './protocol/pull.js';
export * from './protocol/activities.js';
export * from './protocol/query.js';
export * from './protocol/ws.js';
export * from './protocol/ws-codes.js';
export * from './protocol/credential.js';
export * from './protocol/members.js';
export * from './protocol/me.js';
