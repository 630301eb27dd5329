import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCodedError } from '@outpost/shared';
import { buildTestApp, type TestApp } from './helpers/app.js';

/** Sends raw bytes and reads the answer until the server closes the connection. */
function raw(
  port: number,
  bytes: string,
): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (text += d));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head, body });
    });
  });
}

/** What Node's HTTP parser refuses before any route runs is answered in the error shape too. */
describe('requests refused before routing', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await buildTestApp();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  it('bytes that are not HTTP: 400 BAD_REQUEST, coded', async () => {
    const res = await raw(port, 'HELLO THERE\r\n\r\n');
    expect(res.status).toBe(400);
    expect(res.headers).toMatch(/content-type: application\/json; charset=utf-8/i);
    expect(parseCodedError(res.status, JSON.parse(res.body))).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'The request is not valid HTTP/1.1 (its request line, headers or body framing)',
    });
  });

  it('headers over the limit: 431 HEADERS_TOO_LARGE naming it', async () => {
    const long = 'a'.repeat(http.maxHeaderSize + 10);
    const res = await raw(
      port,
      `GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Long: ${long}\r\n\r\n`,
    );
    expect(res.status).toBe(431);
    expect(parseCodedError(res.status, JSON.parse(res.body))).toMatchObject({
      code: 'HEADERS_TOO_LARGE',
      details: { maxBytes: http.maxHeaderSize },
    });
  });
});
