// With `isolate: false` (vitest.config.ts) a worker loads Dexie once, for whichever test file
// comes first, and Dexie reads the IndexedDB globals when it loads: after a component test
// without IndexedDB it would have none for the files that follow. Every file's Dexie gets
// fake-indexeddb's, the one those files install with `import 'fake-indexeddb/auto'`.
import Dexie from 'dexie';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';

Object.assign(Dexie.dependencies, { indexedDB, IDBKeyRange });
