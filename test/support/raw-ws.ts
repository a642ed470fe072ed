/**
 * A WebSocket client written by hand over a plain TCP socket, for what a well-behaved library
 * will not do: announce a payload and never send it, fragment a message past the limit, split a
 * UTF-8 sequence between frames, or stop reading while the server keeps sending.
 *
 * Frames the client sends are masked (RFC 6455 §5.3); frames from the server are unmasked and
 * parsed as they arrive.
 */
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';

/** RFC 6455 §1.3: appended to the client's key to make the accept value. */
const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;
const FIN = 0x80;
const MASKED = 0x80;
const LENGTH_16 = 126;
const LENGTH_64 = 127;
const MAX_7_BIT_LENGTH = 125;
const MAX_16_BIT_LENGTH = 0xffff;

/** One frame from the server. */
export interface ServerFrame {
  opcode: number;
  fin: boolean;
  payload: Buffer;
}

export interface RawClient {
  socket: net.Socket;
  /** Frames parsed so far, in order. */
  frames: ServerFrame[];
  /** Bytes received after the handshake. */
  readonly receivedBytes: number;
  /** Write one masked frame; `declaredLength` announces a length other than the payload's. */
  sendFrame(opcode: number, payload: Buffer | string, options?: { fin?: boolean; declaredLength?: number }): void;
  /** Resolves when the TCP connection has closed, with the close frame's code and reason if one came. */
  closed: Promise<{ code: number | undefined; reason: string }>;
  /** The text frames' payloads, parsed as JSON. */
  messages(): Array<Record<string, unknown>>;
}

/** The header of a frame: FIN and opcode, then the mask bit with the (extended) length. */
function frameHeader(opcode: number, fin: boolean, length: number): Buffer {
  const first = (fin ? FIN : 0) | opcode;
  if (length <= MAX_7_BIT_LENGTH) return Buffer.from([first, MASKED | length]);
  if (length <= MAX_16_BIT_LENGTH) {
    const header = Buffer.alloc(4);
    header.writeUInt8(first, 0);
    header.writeUInt8(MASKED | LENGTH_16, 1);
    header.writeUInt16BE(length, 2);
    return header;
  }
  const header = Buffer.alloc(10);
  header.writeUInt8(first, 0);
  header.writeUInt8(MASKED | LENGTH_64, 1);
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}

/** Parse as many complete server frames as `buffer` holds; returns the frames and the rest. */
function parseFrames(buffer: Buffer): { frames: ServerFrame[]; rest: Buffer } {
  const frames: ServerFrame[] = [];
  let offset = 0;
  for (;;) {
    if (buffer.length - offset < 2) break;
    const first = buffer[offset]!;
    const short = buffer[offset + 1]! & 0x7f;
    let headerLength = 2;
    let length = short;
    if (short === LENGTH_16) {
      if (buffer.length - offset < 4) break;
      length = buffer.readUInt16BE(offset + 2);
      headerLength = 4;
    } else if (short === LENGTH_64) {
      if (buffer.length - offset < 10) break;
      length = Number(buffer.readBigUInt64BE(offset + 2));
      headerLength = 10;
    }
    if (buffer.length - offset < headerLength + length) break;
    const start = offset + headerLength;
    frames.push({ opcode: first & 0x0f, fin: (first & FIN) !== 0, payload: buffer.subarray(start, start + length) });
    offset = start + length;
  }
  return { frames, rest: buffer.subarray(offset) };
}

/**
 * Open `/chat` on `port` with a hand-made handshake; rejects unless the answer is 101. Headers
 * in `extraHeaders` are added to the upgrade request as given.
 */
export function connectRaw(port: number, options: { path?: string; extraHeaders?: Record<string, string> } = {}): Promise<RawClient> {
  const key = randomBytes(16).toString('base64');
  const accept = createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
  const headers = {
    Host: `127.0.0.1:${port}`,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': key,
    'Sec-WebSocket-Version': '13',
    ...options.extraHeaders,
  };
  const request =
    `GET ${options.path ?? '/chat'} HTTP/1.1\r\n` +
    Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('') +
    '\r\n';

  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    const frames: ServerFrame[] = [];
    let pending = Buffer.alloc(0);
    let handshakeDone = false;
    let receivedBytes = 0;
    let resolveClosed!: (value: { code: number | undefined; reason: string }) => void;
    const closed = new Promise<{ code: number | undefined; reason: string }>((r) => (resolveClosed = r));

    socket.on('data', (chunk: Buffer) => {
      if (handshakeDone) receivedBytes += chunk.length;
      pending = Buffer.concat([pending, chunk]);
      if (!handshakeDone) {
        const end = pending.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = pending.subarray(0, end).toString('latin1');
        if (!head.startsWith('HTTP/1.1 101 ') || !head.includes(`Sec-WebSocket-Accept: ${accept}`)) {
          socket.destroy();
          reject(new Error(`handshake refused: ${head.split('\r\n', 1)[0]}`));
          return;
        }
        handshakeDone = true;
        pending = pending.subarray(end + 4);
        receivedBytes = pending.length;
        resolve(client);
      }
      const parsed = parseFrames(pending);
      frames.push(...parsed.frames);
      pending = Buffer.from(parsed.rest);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      const close = frames.find((frame) => frame.opcode === OPCODE.close);
      const code = close !== undefined && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : undefined;
      resolveClosed({ code, reason: close?.payload.subarray(2).toString('utf8') ?? '' });
      if (!handshakeDone) reject(new Error('connection closed during the handshake'));
    });

    const client: RawClient = {
      socket,
      frames,
      get receivedBytes() {
        return receivedBytes;
      },
      closed,
      sendFrame(opcode, payload, frameOptions = {}) {
        const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
        const mask = randomBytes(4);
        const masked = Buffer.from(data.map((byte, index) => byte ^ mask[index % 4]!));
        socket.write(Buffer.concat([frameHeader(opcode, frameOptions.fin ?? true, frameOptions.declaredLength ?? data.length), mask, masked]));
      },
      messages: () =>
        frames.filter((frame) => frame.opcode === OPCODE.text).map((frame) => JSON.parse(frame.payload.toString('utf8')) as Record<string, unknown>),
    };
  });
}
