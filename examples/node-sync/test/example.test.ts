import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startServerProcess,
  type ServerProcess,
} from '../../../server/test/helpers/server-process';
import { runExample } from '../src/example';

describe('examples/node-sync against a real server', () => {
  let server: ServerProcess;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outpost-node-example-'));
    server = await startServerProcess({ dataDir });
  });
  afterAll(async () => {
    await server?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('ends with both clients holding the same rows, the later rename winning the conflict', async () => {
    const lines: string[] = [];
    const result = await runExample(server.url, (line) => lines.push(line));

    expect(result.ada.outbox).toBe(0);
    expect(result.grace.outbox).toBe(0);
    // The two final states, row for row (ids, fields, versions, timestamps).
    expect(result.grace.projects).toEqual(result.ada.projects);
    expect(result.grace.tasks).toEqual(result.ada.tasks);
    expect(result.ada.tasks.map((t) => t.title).sort()).toEqual(
      [result.conflict.title, 'Record the demo', 'Update the pricing page'].sort(),
    );
    expect(result.ada.tasks.find((t) => t.title === 'Record the demo')?.status).toBe('doing');
    expect(lines.at(-1)).toMatch(/converged: both replicas are identical/);
  });
});
