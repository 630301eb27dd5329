import { parseHlc, serializeHlc, type HlcString } from './hlc.js';
import { entityIdSchema, type EntityId } from './ids.js';

/**
 * A REST write has no device, so its stamp's node names its writer instead: `api-<userId>`.
 * A conflict it wins later (an older offline edit arriving after it) then names that person,
 * as a device's stamp names its client. A client id is a UUID, so never starts with this.
 */
export const REST_NODE_PREFIX = 'api-';

/** The server's stamp `hlc` with its node replaced by the REST writer's. */
export function restStamp(hlc: HlcString, userId: EntityId): HlcString {
  return serializeHlc({ ...parseHlc(hlc), node: `${REST_NODE_PREFIX}${userId}` });
}

/** True when a stamp's node is a REST writer's (the server alone stamps these). */
export function isRestNode(node: string): boolean {
  return node.startsWith(REST_NODE_PREFIX);
}

/** The user whose REST write a node names, or null (a device's, or a server stamp of old). */
export function restWriterOf(node: string): EntityId | null {
  if (!isRestNode(node)) return null;
  const parsed = entityIdSchema.safeParse(node.slice(REST_NODE_PREFIX.length));
  return parsed.success ? parsed.data : null;
}
