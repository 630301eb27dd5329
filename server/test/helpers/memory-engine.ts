import { newEntityId, type OrgId, type User } from '@outpost/shared';
import type { AuditEntry, Actor, Identity, SyncEngine } from '../../src/engine/types.js';
import type { StoredCredential } from '../../src/store/types.js';

/**
 * A stand-in for the parts of `SyncEngine` auth needs (users, credentials, audit), used only
 * while the real engine plugin is not registered. Row writes and sync are not implemented.
 */
export class MemoryAuthEngine implements SyncEngine {
  readonly storageKind = 'sqlite' as const;
  readonly users = new Map<string, User>();
  readonly audits: { actor: Actor; entry: AuditEntry }[] = [];
  private readonly creds = new Map<string, StoredCredential>();

  checkProtocolVersion(): void {}
  push(): never {
    throw new Error('MemoryAuthEngine: push not implemented');
  }
  pull(): never {
    throw new Error('MemoryAuthEngine: pull not implemented');
  }
  activityPage(): never {
    throw new Error('MemoryAuthEngine: activityPage not implemented');
  }
  applyRest(): never {
    throw new Error('MemoryAuthEngine: applyRest not implemented');
  }
  list(): never {
    throw new Error('MemoryAuthEngine: list not implemented');
  }
  syncMember(): never {
    throw new Error('MemoryAuthEngine: syncMember not implemented');
  }
  syncProfile(): never {
    throw new Error('MemoryAuthEngine: syncProfile not implemented');
  }
  removeMember(): never {
    throw new Error('MemoryAuthEngine: removeMember not implemented');
  }
  orgsOf(): never {
    throw new Error('MemoryAuthEngine: orgsOf not implemented');
  }
  get membership(): never {
    throw new Error('MemoryAuthEngine: membership not implemented');
  }
  onMemberRemoved(): () => void {
    return () => {};
  }
  async touchMember(): Promise<void> {}
  async head(): Promise<number> {
    return 0;
  }
  async get(orgId: OrgId, entity: string, id: string) {
    if (entity !== 'user') return null;
    const u = [...this.users.values()].find((x) => x.id === id && x.orgId === orgId);
    return u ?? null;
  }
  async upsertUser(identity: Identity): Promise<User> {
    const key = `${identity.orgId}|${identity.externalId}`;
    const at = new Date().toISOString();
    const prev = this.users.get(key);
    const user: User = prev
      ? { ...prev, email: identity.email, name: identity.name, role: identity.role, updatedAt: at }
      : {
          id: newEntityId(),
          orgId: identity.orgId,
          externalId: identity.externalId,
          email: identity.email,
          name: identity.name,
          role: identity.role,
          createdAt: at,
          updatedAt: at,
          version: 0,
        };
    this.users.set(key, user);
    return user;
  }
  async audit(actor: Actor, entry: AuditEntry): Promise<void> {
    this.audits.push({ actor, entry });
  }
  onCommit(): () => void {
    return () => {};
  }
  async carry(): Promise<null> {
    return null;
  }
  /** No client ids are recorded here: every one is the caller's. */
  async checkClientOwner(): Promise<void> {}
  credentials = {
    create: async (c: StoredCredential) => {
      this.creds.set(c.id, c);
    },
    find: async (id: string) => this.creds.get(id) ?? null,
    revoke: async (id: string, at: string) => {
      const c = this.creds.get(id);
      if (!c || c.revokedAt) return false;
      this.creds.set(id, { ...c, revokedAt: at });
      return true;
    },
    revokeForClient: async (userId: string, clientId: string, at: string) => {
      let n = 0;
      for (const c of this.creds.values()) {
        if (c.userId === userId && c.clientId === clientId && !c.revokedAt) {
          this.creds.set(c.id, { ...c, revokedAt: at });
          n++;
        }
      }
      return n;
    },
    revokeForMember: async (userId: string, orgId: string, at: string) => {
      let n = 0;
      for (const c of this.creds.values()) {
        if (c.userId === userId && c.orgId === orgId && !c.revokedAt) {
          this.creds.set(c.id, { ...c, revokedAt: at });
          n++;
        }
      }
      return n;
    },
  };
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}
