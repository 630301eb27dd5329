import http from 'node:http';

/** One keep-alive pool for every harness request (the soak sends hundreds per second). */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** A refused, reset or cut connection; a TypeError, as fetch throws for the same causes. */
export class ConnectionError extends TypeError {}

export interface JsonAnswer {
  status: number;
  /** The parsed body (a body that is not JSON is a ConnectionError: the answer was cut). */
  json: unknown;
}

/**
 * POSTs JSON and reads the JSON answer over node:http with keep-alive. The harness used fetch;
 * its per-request cost (web streams, abort signals) was a large share of the soak's CPU.
 */
export function postJson(url: string, body: unknown, token?: string): Promise<JsonAnswer> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': payload.length,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(new ConnectionError(String(err))));
        res.on('aborted', () => reject(new ConnectionError('answer cut off')));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as unknown });
          } catch {
            reject(
              new ConnectionError(
                `answer is not JSON (HTTP ${res.statusCode}): ${text.slice(0, 200)}`,
              ),
            );
          }
        });
      },
    );
    req.on('error', (err) => reject(new ConnectionError(String(err))));
    req.end(payload);
  });
}
