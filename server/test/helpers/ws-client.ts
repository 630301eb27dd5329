import { WebSocket, type ClientOptions } from 'ws';
import { PROTOCOL_VERSION, wsDownSchema, type WsDown } from '@outpost/shared';

export interface Closed {
  code: number;
  reason: string;
}

/**
 * A test client for `/api/v1/sync/ws`: records every server message (each one validated
 * against `wsDownSchema`, so a malformed server frame fails the test) and lets a test await
 * a message or the close with a deadline instead of sleeping.
 */
export class WsTestClient {
  readonly messages: WsDown[] = [];
  /** Frames that came as binary instead of text. */
  binaryFrames = 0;
  readonly closed: Promise<Closed>;
  #waiters = new Set<() => void>();
  #closedWith: Closed | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      // The protocol is JSON text: a binary frame is a server bug (a browser would get a Blob).
      if (isBinary) this.binaryFrames++;
      this.messages.push(wsDownSchema.parse(JSON.parse(data.toString('utf8'))));
      this.#wake();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.#closedWith = { code, reason: reason.toString('utf8') };
        resolve(this.#closedWith);
        this.#wake();
      });
    });
    // Errors (e.g. ECONNRESET when the server terminates) surface as a close; keep them quiet.
    ws.on('error', () => {});
  }

  /** Opens a socket to `baseUrl` (http://host:port) + `/api/v1/sync/ws`. */
  static open(baseUrl: string, options: ClientOptions = {}): Promise<WsTestClient> {
    const url = baseUrl.replace(/^http/, 'ws') + '/api/v1/sync/ws';
    const ws = new WebSocket(url, options);
    const client = new WsTestClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  /** Opens, says hello and waits for `welcome`. */
  static async join(
    baseUrl: string,
    hello: { token: string; clientId: string; protocolVersion?: number },
    options: ClientOptions = {},
  ): Promise<WsTestClient> {
    const client = await WsTestClient.open(baseUrl, options);
    client.send({
      type: 'hello',
      protocolVersion: hello.protocolVersion ?? PROTOCOL_VERSION,
      clientId: hello.clientId,
      token: hello.token,
    });
    await client.waitFor((m) => m.type === 'welcome');
    return client;
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  get pokes(): number[] {
    return this.messages.flatMap((m) => (m.type === 'poke' ? [m.cursor] : []));
  }

  get isClosed(): boolean {
    return this.#closedWith !== null;
  }

  /** Resolves with the first message (received so far or later) matching `pred`. */
  waitFor<T extends WsDown>(pred: (m: WsDown) => m is T, timeoutMs?: number): Promise<T>;
  waitFor(pred: (m: WsDown) => boolean, timeoutMs?: number): Promise<WsDown>;
  waitFor(pred: (m: WsDown) => boolean, timeoutMs = 5_000): Promise<WsDown> {
    return this.until(() => this.messages.find(pred), timeoutMs, 'a matching message');
  }

  /** Resolves once `probe` returns a value other than undefined; fails at the deadline. */
  until<T>(probe: () => T | undefined, timeoutMs = 5_000, what = 'the condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const value = probe();
        if (value === undefined) return false;
        clearTimeout(timer);
        this.#waiters.delete(onWake);
        resolve(value);
        return true;
      };
      const onWake = () => {
        check();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(onWake);
        reject(
          new Error(
            `Timed out after ${timeoutMs} ms waiting for ${what}; got ${JSON.stringify(this.messages)}; closed ${JSON.stringify(this.#closedWith)}`,
          ),
        );
      }, timeoutMs);
      if (!check()) this.#waiters.add(onWake);
    });
  }

  /** Waits for the close, failing after `timeoutMs`. */
  async waitClosed(timeoutMs = 5_000): Promise<Closed> {
    return this.until(() => this.#closedWith ?? undefined, timeoutMs, 'the socket to close');
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
      this.ws.terminate();
  }

  #wake(): void {
    for (const w of [...this.#waiters]) w();
  }
}
