import net from 'node:net';

/**
 * The load generator of the intake benchmark, run as a child process so that its CPU is measured apart
 * from the server's (on a real deployment the clients are elsewhere). Each client is one keep-alive
 * HTTP/1.1 connection sending one request at a time, written as raw bytes: Node's own http client
 * costs about as much CPU per request as the server does, and on two cores it would take that CPU
 * from the server under test.
 *
 * Messages from the parent: `{ bodies }` once, then `{ url, from, to, concurrency, prefix }` per round;
 * the answer is `{ elapsedMs, lat, errors, firstError, cpuMs }`.
 */

interface Round {
  url: string;
  from: number;
  to: number;
  concurrency: number;
  prefix: string;
}

interface Answer {
  status: number | string;
  ms: number;
  text: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection; `post` resolves when the whole response has arrived. */
class Connection {
  private readonly socket: net.Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private pending: { resolve: (a: Answer) => void; t0: number } | null = null;
  private failed: Error | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    this.socket = net.connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (e: Error) => {
      this.failed = e;
      const p = this.pending;
      this.pending = null;
      p?.resolve({
        status: (e as { code?: string }).code ?? 'socket',
        ms: performance.now() - p.t0,
        text: String(e),
      });
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('connection closed')));
  }

  get usable(): boolean {
    return this.failed === null;
  }

  post(path: string, body: string, key: string): Promise<Answer> {
    const bytes = Buffer.from(body);
    const head =
      `POST ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${bytes.length}\r\nIdempotency-Key: ${key}\r\n\r\n`;
    return new Promise((resolve) => {
      this.pending = { resolve, t0: performance.now() };
      this.socket.write(Buffer.concat([Buffer.from(head), bytes]));
    });
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const end = this.buffer.indexOf(HEADER_END);
    if (end < 0 || !this.pending) return;
    const head = this.buffer.subarray(0, end).toString('latin1');
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!length) throw new Error(`a response without Content-Length: ${head.slice(0, 200)}`);
    const total = end + 4 + Number(length[1]);
    if (this.buffer.length < total) return;
    const status = Number(head.slice(9, 12));
    const text = status === 201 ? '' : this.buffer.subarray(end + 4, total).toString('utf8');
    this.buffer = this.buffer.subarray(total);
    const p = this.pending;
    this.pending = null;
    p.resolve({ status, ms: performance.now() - p.t0, text });
  }

  close(): void {
    this.socket.destroy();
  }
}

let bodies: string[] = [];

async function round({ url, from, to, concurrency, prefix }: Round) {
  const target = new URL(url);
  const host = target.hostname;
  const port = Number(target.port);
  const lat = new Array<number>(to - from).fill(0);
  const errors: Record<string, number> = {};
  let firstError: string | null = null;
  let next = from;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const loop = async () => {
    let connection = new Connection(host, port);
    try {
      for (;;) {
        const i = next++;
        if (i >= to) return;
        if (!connection.usable) connection = new Connection(host, port);
        const r = await connection.post(target.pathname, bodies[i]!, prefix + i);
        lat[i - from] = r.ms;
        if (r.status !== 201) {
          errors[r.status] = (errors[r.status] ?? 0) + 1;
          firstError ??= r.text.slice(0, 300);
        }
      }
    } finally {
      connection.close();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { elapsedMs, lat, errors, firstError, cpuMs: (cpu.user + cpu.system) / 1000 };
}

process.on('message', (message: { bodies?: string[] } & Partial<Round>) => {
  if (message.bodies) {
    bodies = message.bodies;
    process.send!({ ready: true });
    return;
  }
  round(message as Round).then(
    (r) => process.send!(r),
    (e: unknown) => process.send!({ fatal: String(e) }),
  );
});
