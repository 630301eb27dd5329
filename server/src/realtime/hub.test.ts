import { describe, expect, it } from 'vitest';
import type { OrgId } from '@outpost/shared';
import { Hub, type PokeFrames, type RoomMember } from './hub.js';

class Member implements RoomMember {
  readonly got: number[] = [];
  constructor(
    readonly orgId: OrgId,
    readonly userId: string,
    private readonly onPoke?: () => void,
  ) {}
  poke(cursor: number, frames: PokeFrames): void {
    expect(JSON.parse(frames.plain.payload.toString('utf8'))).toEqual({ type: 'poke', cursor });
    this.got.push(cursor);
    this.onPoke?.();
  }
}

const A = 'org_a' as OrgId;
const B = 'org_b' as OrgId;

describe('Hub', () => {
  it('encodes a poke once: every member of the room is handed the same bytes', () => {
    const hub = new Hub(5);
    const seen: PokeFrames[] = [];
    const member = (userId: string): RoomMember => ({
      orgId: A,
      userId,
      poke: (_cursor, frames) => void seen.push(frames),
    });
    hub.join(member('u1'));
    hub.join(member('u2'));
    hub.poke(A, 9, { from: 8, changes: [], activityFloor: 0 });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[0]!.carried).not.toBeNull();
  });

  it("pokes a socket waiting on its own push's answer after its teammates, though it joined first", () => {
    const hub = new Hub(5);
    const order: string[] = [];
    const member = (userId: string, pushing: boolean): RoomMember => ({
      orgId: A,
      userId,
      pushing,
      poke: () => void order.push(userId),
    });
    hub.join(member('writer', true));
    hub.join(member('reader', false));
    hub.join(member('other', false));
    hub.poke(A, 4);
    expect(order).toEqual(['reader', 'other', 'writer']);
  });

  it('pokes only the members of the org', () => {
    const hub = new Hub(5);
    const a = new Member(A, 'u1');
    const b = new Member(B, 'u2');
    hub.join(a);
    hub.join(b);
    hub.poke(A, 3);
    expect(a.got).toEqual([3]);
    expect(b.got).toEqual([]);
  });

  it('caps members per user across orgs and frees a slot on leave', () => {
    const hub = new Hub(2);
    const m1 = new Member(A, 'u1');
    const m2 = new Member(B, 'u1');
    const m3 = new Member(A, 'u1');
    expect(hub.join(m1)).toBe(true);
    expect(hub.join(m2)).toBe(true);
    expect(hub.join(m3)).toBe(false);
    expect(hub.join(new Member(A, 'u2'))).toBe(true);
    hub.leave(m1);
    expect(hub.join(m3)).toBe(true);
    expect(hub.size).toBe(3);
  });

  it('leave is idempotent and drops empty rooms', () => {
    const hub = new Hub(2);
    const m = new Member(A, 'u1');
    hub.join(m);
    hub.leave(m);
    hub.leave(m);
    expect(hub.size).toBe(0);
    expect(hub.hasRoom(A)).toBe(false);
    expect(hub.join(m)).toBe(true);
  });

  it('survives a member leaving while the room is being poked', () => {
    const hub = new Hub(5);
    let first: Member | null = null;
    first = new Member(A, 'u1', () => hub.leave(first!));
    const second = new Member(A, 'u2');
    hub.join(first);
    hub.join(second);
    hub.poke(A, 1);
    hub.poke(A, 2);
    expect(first.got).toEqual([1]);
    expect(second.got).toEqual([1, 2]);
  });
});
