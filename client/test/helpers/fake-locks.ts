import type { LockManagerLike, Timers } from '@outpost/sync';

function abortError(): Error {
  return Object.assign(new Error('The lock request was aborted'), { name: 'AbortError' });
}

/** An in-memory Web Locks manager (one browser profile): exclusive locks, queueing, signal, steal. */
export function fakeLocks(): LockManagerLike {
  const held = new Map<string, { reject: (e: Error) => void }>();
  const queues = new Map<string, (() => void)[]>();
  const next = (name: string) => {
    const q = queues.get(name);
    const grant = q?.shift();
    if (grant) grant();
  };
  return {
    request(name, options, callback) {
      return new Promise((resolve, reject) => {
        const grant = () => {
          const holder = { reject };
          held.set(name, holder);
          Promise.resolve()
            .then(() => callback({ name }))
            .then(
              (v) => {
                if (held.get(name) === holder) {
                  held.delete(name);
                  next(name);
                }
                resolve(v);
              },
              (e: unknown) => {
                if (held.get(name) === holder) {
                  held.delete(name);
                  next(name);
                }
                reject(e);
              },
            );
        };
        if (options.steal) {
          held.get(name)?.reject(abortError());
          held.delete(name);
          grant();
        } else if (!held.has(name)) {
          grant();
        } else {
          const q = queues.get(name) ?? [];
          queues.set(name, q);
          q.push(grant);
          options.signal?.addEventListener(
            'abort',
            () => {
              const i = q.indexOf(grant);
              if (i >= 0) {
                q.splice(i, 1);
                reject(abortError());
              }
            },
            { once: true },
          );
        }
      });
    },
  };
}

/** Timers that can be frozen like a hibernated tab: callbacks due while frozen run on thaw. */
export function freezableTimers() {
  let frozen = false;
  const deferred: (() => void)[] = [];
  const timers: Timers = {
    setTimeout: (fn, ms) => setTimeout(() => (frozen ? deferred.push(fn) : fn()), ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  return {
    timers,
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
      for (const fn of deferred.splice(0)) fn();
    },
  };
}
