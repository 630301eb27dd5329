import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoClient, ObjectId, type Document } from 'mongodb';
import {
  MongoRepository,
  afterFilter,
  criteriaFilter,
  idLookup,
  toCandidate,
} from '../src/external/mongo-repository.js';
import { DocumentValidator } from '../src/external/validate.js';
import { silentLog } from './external-fixtures.js';
import { repositoryContract } from './external-contract.js';

/**
 * The MongoDB leg runs only against a real server (`MONGODB_TEST_URI`): none can be installed
 * on this project's machines. Each run seeds its own temporary database and drops it.
 */
const uri = process.env['MONGODB_TEST_URI'];

// These run everywhere: the query documents and the mapping the MongoDB leg depends on.
describe('MongoDB source query building', () => {
  it('searches names as an escaped, case-insensitive pattern and filters data.kind', () => {
    const f = criteriaFilter({ q: 'a.b', filter: { kind: 'vendor' } });
    expect(f).toEqual({ $and: [{ name: { $regex: /a\.b/i } }, { 'data.kind': 'vendor' }] });
    expect(criteriaFilter({})).toBeNull();
  });

  it('continues after a string id into the ObjectIds that BSON sorts after all strings', () => {
    expect(afterFilter({ v: 1, id: 'abc', t: 'str' }, ObjectId)).toEqual({
      $or: [{ _id: { $gt: 'abc' } }, { _id: { $type: 'objectId' } }],
    });
    const oid = afterFilter({ v: 1, id: '65a000000000000000000001', t: 'oid' }, ObjectId);
    expect(JSON.stringify(oid)).toBe('{"_id":{"$gt":"65a000000000000000000001"}}');
  });

  it("looks an id up as exact text, and an ObjectId's text in either case, the id as given first", () => {
    const text = idLookup('r0003', ObjectId);
    expect(text.filter).toEqual({ _id: { $in: ['r0003'] } });
    const upper = idLookup('65A0000000000000000000AB', ObjectId);
    expect(JSON.stringify(upper.filter)).toBe(
      '{"_id":{"$in":["65A0000000000000000000AB","65a0000000000000000000ab","65a0000000000000000000ab"]}}',
    );
    expect(upper.candidates).toBe(3);
    const docs = [
      { _id: '65a0000000000000000000ab' },
      { _id: new ObjectId('65a0000000000000000000ab') },
      { _id: '65A0000000000000000000AB' },
    ];
    expect(docs.sort((a, b) => upper.rank(a) - upper.rank(b)).map((d) => String(d._id))).toEqual([
      '65A0000000000000000000AB',
      '65a0000000000000000000ab',
      '65a0000000000000000000ab',
    ]);
    expect(typeof docs[1]!._id).toBe('object');
  });

  it('maps _id and BSON dates into the API shape, dropping nothing it does not pick', () => {
    const when = new Date('2024-05-01T10:00:00.000Z');
    expect(
      toCandidate({
        _id: new ObjectId('65a000000000000000000001'),
        name: 'N',
        data: { a: 1 },
        createdAt: when,
      }),
    ).toEqual({
      id: '65a000000000000000000001',
      name: 'N',
      data: { a: 1 },
      createdAt: '2024-05-01T10:00:00.000Z',
    });
    expect(toCandidate({ _id: 42, name: 'N' })).toMatchObject({ id: undefined });
  });
});

if (!uri) {
  console.log(
    'external-data MongoDB leg did NOT run: set MONGODB_TEST_URI to run it against a real MongoDB',
  );
}

// runIf keeps the leg visible as skipped in the report (the line above says why).
describe.runIf(Boolean(uri))('external data on MongoDB', () => {
  const dbName = `outpost_ext_test_${randomBytes(4).toString('hex')}`;
  let client: MongoClient;
  let n = 0;
  const opened: MongoRepository[] = [];

  beforeAll(async () => {
    client = new MongoClient(uri!);
    await client.connect();
  });
  afterAll(async () => {
    for (const r of opened) await r.close();
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  /** Seeds a fresh collection in the source's shape (`_id`, BSON Date) and opens a repository on it. */
  async function seed(docs: unknown[]): Promise<MongoRepository> {
    const collection = `resources_${n++}`;
    const rows = docs.map((d) => {
      const { id, createdAt, ...rest } = d as { id: unknown; createdAt?: unknown } & Document;
      const when =
        typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt))
          ? new Date(createdAt)
          : createdAt;
      return { _id: id, ...rest, ...(when === undefined ? {} : { createdAt: when }) } as Document;
    });
    await client.db(dbName).collection(collection).insertMany(rows);
    const repo = await MongoRepository.open(
      { uri: uri!, db: dbName, collection, serverSelectionTimeoutMS: 5_000 },
      new DocumentValidator(silentLog),
    );
    opened.push(repo);
    return repo;
  }

  repositoryContract('mongodb', seed);

  describe('MongoDB specifics', () => {
    it('pages across string and ObjectId ids (BSON orders all strings first)', async () => {
      const oid = (s: string) => new ObjectId(s);
      const base = { name: 'Mixed', data: {}, createdAt: '2024-01-01T00:00:00.000Z' };
      const repo = await seed([
        { ...base, id: 'b' },
        { ...base, id: 'a' },
        { ...base, id: oid('65a000000000000000000002').toHexString() },
        { ...base, id: oid('65a000000000000000000001').toHexString() },
      ]);
      // Hex strings stay strings in this seed; store two real ObjectIds as well.
      await client
        .db(dbName)
        .collection(`resources_${n - 1}`)
        .insertMany([
          { _id: oid('65a000000000000000000003'), ...base, createdAt: new Date(base.createdAt) },
          { _id: oid('65a000000000000000000004'), ...base, createdAt: new Date(base.createdAt) },
        ] as Document[]);
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = await repo.list({ after, limit: 2 });
        seen.push(...page.items.map((r) => r.id));
        after = page.nextCursor ?? undefined;
      } while (after);
      expect(seen).toEqual([
        '65a000000000000000000001',
        '65a000000000000000000002',
        'a',
        'b',
        '65a000000000000000000003',
        '65a000000000000000000004',
      ]);
      expect(await repo.get('65a000000000000000000004')).toMatchObject({
        id: '65a000000000000000000004',
      });
      // An ObjectId's text names it in either case (as in every source: the contract).
      expect(await repo.get('65A000000000000000000004')).toMatchObject({
        id: '65a000000000000000000004',
      });
    });

    it('gives up within the timeout when the server cannot be reached', async () => {
      const repo = await MongoRepository.open(
        {
          uri: 'mongodb://127.0.0.1:9/?directConnection=true',
          db: 'x',
          collection: 'y',
          serverSelectionTimeoutMS: 200,
        },
        new DocumentValidator(silentLog),
      );
      opened.push(repo);
      await expect(repo.list({ limit: 1 })).rejects.toThrow();
    });
  });
});
