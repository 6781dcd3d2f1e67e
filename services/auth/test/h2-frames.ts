/**
 * A raw HTTP/2 client over a plain socket, for tests that must behave as an attacker does:
 * node:http2 obeys the server's SETTINGS (it queues streams past MAX_CONCURRENT_STREAMS and never
 * sends them), so it cannot show what the server does with a client that does not.
 */
import net from "node:net";

/** Frame types and error codes used here (RFC 9113 §6, §7). */
export const FRAME = { DATA: 0, HEADERS: 1, RST_STREAM: 3, SETTINGS: 4, GOAWAY: 7 } as const;
export const ERROR = { NO_ERROR: 0, PROTOCOL_ERROR: 1, CANCEL: 8, REFUSED_STREAM: 7, ENHANCE_YOUR_CALM: 11 } as const;
const FLAG_END_STREAM = 0x1;
const FLAG_END_HEADERS = 0x4;
const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/** One frame received from the server. */
export interface Frame {
  type: number;
  flags: number;
  streamId: number;
  payload: Buffer;
}

function frame(type: number, flags: number, streamId: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head.writeUInt8(type, 3);
  head.writeUInt8(flags, 4);
  head.writeUInt32BE(streamId & 0x7fffffff, 5);
  return Buffer.concat([head, payload]);
}

/** HPACK "literal header field without indexing, new name", no Huffman (RFC 7541 §6.2.2). */
function hpack(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  const str = (s: string) => {
    const b = Buffer.from(s);
    if (b.length >= 127) throw new Error("header too long for this encoder");
    return Buffer.concat([Buffer.from([b.length]), b]);
  };
  for (const [name, value] of Object.entries(headers)) parts.push(Buffer.from([0]), str(name), str(value));
  return Buffer.concat(parts);
}

/** A connection speaking raw HTTP/2 frames. */
export interface RawH2 {
  socket: net.Socket;
  /** Every frame received so far. */
  frames: Frame[];
  /** Resolves when the server has closed the connection. */
  closed: Promise<void>;
  /** Sends a HEADERS frame opening `streamId`; `end` also ends the stream (no body). */
  headers(streamId: number, headers: Record<string, string>, end?: boolean): void;
  /** Sends a DATA frame on `streamId`. */
  data(streamId: number, body: Buffer, end?: boolean): void;
  /** Resolves once a received frame satisfies `pred` (or rejects when the connection closes first). */
  waitFor(pred: (f: Frame) => boolean): Promise<Frame>;
}

/**
 * Connects and sends the client preface and an empty SETTINGS frame. The server's SETTINGS are
 * never acknowledged, like a client that ignores them.
 */
export async function rawH2(port: number, host = "127.0.0.1"): Promise<RawH2> {
  const socket = net.connect(port, host);
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  socket.on("error", () => {}); // a reset by the server is one of the outcomes under test
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  let buf = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 9) {
      const length = buf.readUIntBE(0, 3);
      if (buf.length < 9 + length) break;
      frames.push({ type: buf[3]!, flags: buf[4]!, streamId: buf.readUInt32BE(5) & 0x7fffffff, payload: buf.subarray(9, 9 + length) });
      buf = buf.subarray(9 + length);
    }
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.write(Buffer.concat([PREFACE, frame(FRAME.SETTINGS, 0, 0)]));
  return {
    socket,
    frames,
    closed,
    headers(streamId, headers, end = false) {
      socket.write(frame(FRAME.HEADERS, FLAG_END_HEADERS | (end ? FLAG_END_STREAM : 0), streamId, hpack(headers)));
    },
    data(streamId, body, end = false) {
      socket.write(frame(FRAME.DATA, end ? FLAG_END_STREAM : 0, streamId, body));
    },
    waitFor(pred) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = frames.find(pred);
          if (hit) {
            waiters.delete(check);
            resolve(hit);
          }
        };
        waiters.add(check);
        check();
        void closed.then(() => {
          check();
          if (waiters.delete(check)) reject(new Error(`connection closed; frames: ${JSON.stringify(frames.map(({ type, streamId, flags }) => ({ type, streamId, flags })))}`));
        });
      });
    },
  };
}

/** The error code of a RST_STREAM or GOAWAY frame. */
export function errorCode(f: Frame): number {
  return f.type === FRAME.GOAWAY ? f.payload.readUInt32BE(4) : f.payload.readUInt32BE(0);
}

/** The SETTINGS_MAX_CONCURRENT_STREAMS value of a SETTINGS frame, if it carries one. */
export function maxConcurrentStreams(f: Frame): number | undefined {
  for (let i = 0; i + 6 <= f.payload.length; i += 6) if (f.payload.readUInt16BE(i) === 0x3) return f.payload.readUInt32BE(i + 2);
  return undefined;
}

/** Request headers of a Connect/gRPC-Web call whose body is announced but not (yet) sent. */
export function stalledCallHeaders(path: string, contentType: string, contentLength: number): Record<string, string> {
  return { ":method": "POST", ":scheme": "http", ":path": path, ":authority": "127.0.0.1", "content-type": contentType, "content-length": String(contentLength) };
}
