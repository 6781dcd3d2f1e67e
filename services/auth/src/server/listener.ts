import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import type { Socket } from "node:net";

type Handler = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => void;

const FIRST_BYTES_TIMEOUT_MS = 10_000;
const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/** A port serving one handler over HTTP/1.1 and cleartext HTTP/2 (h2c prior knowledge). */
export interface DualProtocolServer {
  /** Resolves with the bound port once listening. */
  listen(port: number, host: string): Promise<number>;
  /**
   * Stops accepting connections, lets in-flight requests finish, and after `timeoutMs`
   * destroys whatever is left.
   */
  close(timeoutMs: number): Promise<void>;
}

/**
 * Node's cleartext HTTP/2 server refuses HTTP/1.1, and HTTP/1.1 servers cannot speak h2c, so
 * each connection is routed by its first bytes: the HTTP/2 client preface starts with "PRI ",
 * which no HTTP/1 method does.
 */
export function createDualProtocolServer(handler: Handler): DualProtocolServer {
  const h1 = http.createServer({ keepAliveTimeout: 5_000, headersTimeout: 20_000, requestTimeout: 120_000, connectionsCheckingInterval: 5_000 });
  // h1 never listens itself, so Node does not track its connections and closeIdleConnections()
  // is a no-op: keep each HTTP/1 connection's unfinished responses here instead.
  const h1Open = new Map<Socket, Set<http.ServerResponse>>();
  let closing = false;
  h1.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    const pending = h1Open.get(socket);
    pending?.add(res);
    if (closing) res.shouldKeepAlive = false; // "Connection: close": finish this call, then hang up
    res.once("close", () => {
      pending?.delete(res);
      if (closing && pending?.size === 0) socket.destroy();
    });
  });
  h1.on("request", handler);
  // Node enforces headersTimeout/requestTimeout (slow-request protection) only on connections
  // it tracks, and starts tracking when the server reports "listening". h1 listens through
  // `front`, so tell it.
  h1.emit("listening");
  const h2 = http2.createServer({}, handler);
  // A response can end before its request was read to the end (one over the size limit is
  // refused after 64 KiB): flow control then stalls the client and the stream never closes,
  // holding up graceful shutdown. RFC 9113 §8.1: after a complete response, end the stream with
  // RST_STREAM(NO_ERROR) — destroy() without an error sends it once pending frames are out. The
  // compat layer always ends a response with trailers, from its own earlier listener.
  h2.on("request", (req: http2.Http2ServerRequest) => {
    const stream = req.stream;
    stream.once("wantTrailers", () =>
      setImmediate(() => {
        if (!stream.closed && !stream.readableEnded) stream.destroy();
      }),
    );
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on("session", (s) => {
    sessions.add(s);
    s.once("close", () => sessions.delete(s));
  });
  const sockets = new Set<Socket>();
  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    // A connection that never says which protocol it speaks is not kept open forever.
    socket.setTimeout(FIRST_BYTES_TIMEOUT_MS, () => socket.destroy());
    route(socket);
  });

  function route(socket: Socket, seen: Buffer = Buffer.alloc(0)) {
    socket.once("data", (chunk: Buffer) => {
      const head = Buffer.concat([seen, chunk]);
      const n = Math.min(head.length, PREFACE.length);
      const maybeH2 = head.subarray(0, n).equals(PREFACE.subarray(0, n));
      if (maybeH2 && head.length < 4) return route(socket, head);
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(head);
      if (maybeH2) {
        // The HTTP/2 session drains what is buffered, then reads the socket natively;
        // resuming it would make JS steal bytes from that reader.
        h2.emit("connection", socket);
      } else {
        h1Open.set(socket, new Set());
        socket.once("close", () => h1Open.delete(socket));
        h1.emit("connection", socket);
        socket.resume();
      }
    });
  }

  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        front.once("error", reject);
        front.listen(port, host, () => {
          front.off("error", reject);
          resolve((front.address() as net.AddressInfo).port);
        });
      });
    },
    async close(timeoutMs) {
      const closed = new Promise<void>((resolve) => front.close(() => resolve()));
      closing = true;
      for (const s of sessions) s.close(); // GOAWAY: open streams finish, no new ones
      for (const [socket, pending] of h1Open) {
        if (pending.size === 0) socket.destroy(); // idle keep-alive connection
        for (const res of pending) if (!res.headersSent) res.shouldKeepAlive = false;
      }
      h1.close();
      const timer = setTimeout(() => {
        for (const s of sessions) s.destroy();
        for (const socket of sockets) socket.destroy();
      }, timeoutMs);
      await closed;
      clearTimeout(timer);
    },
  };
}
