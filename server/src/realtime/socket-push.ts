import type { PushRequest, PushResponse, WsDown } from '@outpost/shared';
import { AppError, validationError } from '../errors.js';
import type { Actor } from '../engine/types.js';
import { encodeDown } from './peer-socket.js';

export interface SocketPushDeps {
  /** Verifies the socket's current token again: a push is authorized like an HTTP one. */
  actor: () => Promise<Actor>;
  /** The engine's push (the service behind `POST /sync/push`). */
  push: (actor: Actor, req: PushRequest) => Promise<PushResponse>;
  /** Counts the push against the actor's request budget (HTTP's): null, or seconds to wait. */
  throttle: (actor: Actor) => Promise<number | null>;
  /** One push answered: seconds taken and the HTTP status it stands for. */
  observe: (seconds: number, status: number) => void;
  send: (msg: WsDown) => void;
  /** Sends a message already encoded (`encodeDown`). */
  sendFrame: (frame: string) => void;
  /**
   * How many bytes the socket's buffer can take now: an answer's `echo` larger than that is
   * left out (the client pulls instead).
   */
  echoRoom: () => number;
  logError: (err: unknown) => void;
}

/**
 * Pushes a socket sent (protocol ≥ 6), one after another in arrival order — the order the
 * client assigned its ids in, so pipelined pushes never race into a mutation gap. Each is the
 * same service as `POST /sync/push`: the token is verified again (role and membership as of
 * now), and a refusal is answered with the status and body HTTP would give.
 */
export class SocketPushes {
  #chain: Promise<void> = Promise.resolve();
  /** Pushes offered and not yet answered. */
  #unanswered = 0;

  constructor(private readonly deps: SocketPushDeps) {}

  offer(n: number, request: PushRequest): void {
    this.#unanswered++;
    this.#chain = this.#chain.then(() => this.#run(n, request));
  }

  /** Whether a push of this socket waits for its answer (or its turn). */
  get pending(): boolean {
    return this.#unanswered > 0;
  }

  /** A push the schema refused: answered like HTTP's 400, the socket stays open. */
  refuse(n: number, refusal: AppError<'VALIDATION'>): void {
    this.#fail(n, refusal);
  }

  /** A push frame over the socket's limit: answered like HTTP's 413, the socket stays open. */
  tooLarge(n: number, message: string, maxBytes: number): void {
    this.#fail(n, new AppError('PAYLOAD_TOO_LARGE', message, { limit: 'frame', maxBytes }));
  }

  async #run(n: number, request: PushRequest): Promise<void> {
    const started = performance.now();
    try {
      const actor = await this.deps.actor();
      const wait = await this.deps.throttle(actor);
      if (wait !== null)
        throw new AppError('RATE_LIMITED', `Too many requests: retry in ${wait} s`, {
          retryAfterSeconds: wait,
        });
      const response = await this.deps.push(actor, request);
      this.deps.sendFrame(this.#answer(n, response));
      this.deps.observe((performance.now() - started) / 1000, 200);
    } catch (err) {
      if (!(err instanceof AppError)) this.deps.logError(err);
      this.#fail(n, err instanceof AppError ? inFrame(err) : new AppError('INTERNAL'), started);
    } finally {
      this.#unanswered--;
    }
  }

  /** The `pushed` frame, encoded once; without its `echo` if the socket has no room for it. */
  #answer(n: number, response: PushResponse): string {
    const frame = encodeDown({ type: 'pushed', n, response });
    if (!response.echo) return frame;
    // Length in UTF-16 units ≤ bytes in UTF-8, so only a frame near the room is measured.
    const room = this.deps.echoRoom();
    if (frame.length <= room / 3 || Buffer.byteLength(frame) <= room) return frame;
    const { echo: _echo, ...bare } = response;
    return encodeDown({ type: 'pushed', n, response: bare });
  }

  #fail(n: number, err: AppError, started = performance.now()): void {
    this.deps.send({ type: 'push-failed', n, status: err.status, error: err.toBody() });
    this.deps.observe((performance.now() - started) / 1000, err.status);
  }
}

/**
 * The engine points a refusal into the push's body (`/clientId`); over the socket that body is
 * the frame's `request`, so the pointer is `/request/clientId`, as the schema's refusals are.
 */
function inFrame(err: AppError): AppError {
  if (err.code !== 'VALIDATION' || !Array.isArray(err.details)) return err;
  return validationError(
    'push',
    err.details.map((d) => ({ ...d, path: `/request${d.path}` })),
  );
}
