import { POKE_CARRY_MAX_BYTES, type OrgId, type PokeCarried } from '@outpost/shared';
import { encodeDown, prepareTextFrame, type PreparedFrame } from './peer-socket.js';

/**
 * One poke, serialized, UTF-8 encoded and framed once per org, not once per socket: every
 * socket is sent the same bytes.
 */
export interface PokeFrames {
  /** `{ type: 'poke', cursor }`: what every socket may be sent. */
  readonly plain: PreparedFrame;
  /** The same poke with its changes (protocol ≥ 5), null when none are carried or too big. */
  readonly carried: PreparedFrame | null;
}

/** A joined socket as the hub sees it. */
export interface RoomMember {
  readonly orgId: OrgId;
  /** The user the per-user connection cap counts against. */
  readonly userId: string;
  poke(cursor: number, frames: PokeFrames): void;
  /** Whether it waits on the answer to a push of its own (that push's commit is poked last). */
  readonly pushing?: boolean;
}

/** The poke's frames; changes are carried only when the whole frame fits the limit. */
export function pokeFrames(cursor: number, carried: PokeCarried | null): PokeFrames {
  const plain = prepareTextFrame(Buffer.from(encodeDown({ type: 'poke', cursor })));
  if (!carried) return { plain, carried: null };
  const full = Buffer.from(encodeDown({ type: 'poke', cursor, carried }));
  return { plain, carried: full.length <= POKE_CARRY_MAX_BYTES ? prepareTextFrame(full) : null };
}

/**
 * Org rooms: which local sockets receive an org's pokes. Nothing here crosses orgs — a
 * member is only ever reached through the room of the org it joined with.
 */
export class Hub<M extends RoomMember = RoomMember> {
  readonly #rooms = new Map<OrgId, Set<M>>();
  readonly #perUser = new Map<string, number>();
  #size = 0;

  constructor(private readonly maxPerUser: number) {}

  /** Adds the member unless its user is at the cap; returns whether it joined. */
  join(member: M): boolean {
    const count = this.#perUser.get(member.userId) ?? 0;
    if (count >= this.maxPerUser) return false;
    let room = this.#rooms.get(member.orgId);
    if (!room) {
      room = new Set();
      this.#rooms.set(member.orgId, room);
    }
    if (room.has(member)) return true;
    room.add(member);
    this.#perUser.set(member.userId, count + 1);
    this.#size++;
    return true;
  }

  leave(member: M): void {
    const room = this.#rooms.get(member.orgId);
    if (!room?.delete(member)) return;
    if (room.size === 0) this.#rooms.delete(member.orgId);
    const count = (this.#perUser.get(member.userId) ?? 1) - 1;
    if (count <= 0) this.#perUser.delete(member.userId);
    else this.#perUser.set(member.userId, count);
    this.#size--;
  }

  poke(orgId: OrgId, cursor: number, carried: PokeCarried | null = null): void {
    const room = this.#rooms.get(orgId);
    if (!room) return;
    // A poke may close a slow socket, which leaves the room mid-loop: deleting from a Set
    // while iterating it is well-defined (the deleted entry is simply not visited).
    const frames = pokeFrames(cursor, carried);
    // A socket waiting on its own push's answer goes last: the commit is usually its own, its
    // answer follows anyway, and every teammate's socket gets the frame one send sooner.
    let pushing: M[] | null = null;
    for (const member of room) {
      if (member.pushing) (pushing ??= []).push(member);
      else member.poke(cursor, frames);
    }
    if (pushing) for (const member of pushing) member.poke(cursor, frames);
  }

  hasRoom(orgId: OrgId): boolean {
    return this.#rooms.has(orgId);
  }

  get size(): number {
    return this.#size;
  }

  *members(): IterableIterator<M> {
    for (const room of this.#rooms.values()) yield* room;
  }
}
