import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import type { Socket } from "node:net";
import { ConnectionsPerAddress } from "../../../shared/connections-per-address.js";

type Handler = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => void;

const FIRST_BYTES_TIMEOUT_MS = 10_000;
const HEADERS_TIMEOUT_MS = 20_000;
/** After GOAWAY, how long a session that does not read it may keep its socket. */
const GOAWAY_GRACE_MS = 1_000;
const PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/**
 * What one client may hold open on the port. HTTP/1.1 gets the same deadlines through Node's own
 * headersTimeout/requestTimeout; the HTTP/2 bounds follow what nginx (http2_max_concurrent_streams
 * 128, client_body_timeout, keepalive_timeout) and Go's http2.Server (MaxConcurrentStreams 100,
 * IdleTimeout) enforce.
 */
export interface ListenerLimits {
  /** A request's headers and body must have arrived within this (HTTP/1.1 request, HTTP/2 stream). */
  requestTimeoutMs: number;
  /** An HTTP/2 session with no open stream (a bare preface included) is sent GOAWAY and closed after this. */
  idleTimeoutMs: number;
  /** SETTINGS_MAX_CONCURRENT_STREAMS advertised; streams beyond it are refused (REFUSED_STREAM). */
  maxConcurrentStreams: number;
  /** nghttp2's memory bound per session (MB); past it new streams are refused (ENHANCE_YOUR_CALM). */
  maxSessionMemoryMb: number;
  /** Open connections per peer address; more are closed at once. */
  maxConnectionsPerAddress: number;
}

/** A port serving one handler over HTTP/1.1 and cleartext HTTP/2 (h2c prior knowledge). */
export interface DualProtocolServer {
  /** Resolves with the bound port once listening. */
  listen(port: number, host: string): Promise<number>;
  /**
   * Stops accepting connections, sends GOAWAY / `Connection: close`, lets in-flight requests
   * finish, and after `timeoutMs` destroys whatever is left.
   */
  close(timeoutMs: number): Promise<void>;
}

/**
 * Node's cleartext HTTP/2 server refuses HTTP/1.1, and HTTP/1.1 servers cannot speak h2c, so
 * each connection is routed by its first bytes: the HTTP/2 client preface starts with "PRI ",
 * which no HTTP/1 method does.
 */
export function createDualProtocolServer(handler: Handler, limits: ListenerLimits): DualProtocolServer {
  const requestTimeout = limits.requestTimeoutMs;
  const h1 = http.createServer({
    keepAliveTimeout: 5_000,
    headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeout),
    requestTimeout,
    // How often Node looks for requests past their deadline: a short deadline is checked often.
    connectionsCheckingInterval: Math.max(250, Math.min(5_000, requestTimeout / 4)),
  });
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
  const h2 = http2.createServer(
    {
      settings: { maxConcurrentStreams: limits.maxConcurrentStreams },
      maxSessionMemory: limits.maxSessionMemoryMb,
    },
    handler,
  );
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
  h2.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    boundSession(session, limits);
  });
  const perAddress = new ConnectionsPerAddress(limits.maxConnectionsPerAddress);
  const sockets = new Set<Socket>();
  const front = net.createServer((socket) => {
    if (!perAddress.admit(socket)) return;
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

/**
 * The deadlines nghttp2 does not keep itself: a stream must have received its whole request
 * within the request timeout, and a session with no open stream goes away after the idle
 * timeout. A stalled stream is reset with CANCEL (RFC 9113 §7: "the stream is no longer
 * needed"), as Go's server does on its read deadline; its handler sees the request aborted.
 */
function boundSession(session: http2.ServerHttp2Session, limits: ListenerLimits): void {
  let open = 0;
  let idle: NodeJS.Timeout | undefined;
  const goAway = () => {
    if (session.closed || session.destroyed) return;
    session.close();
    // A peer that does not read its socket never lets the GOAWAY out; do not wait for it.
    setTimeout(() => session.destroy(), GOAWAY_GRACE_MS).unref();
  };
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(goAway, limits.idleTimeoutMs);
  };
  armIdle();
  session.once("close", () => clearTimeout(idle));
  session.on("stream", (stream: http2.ServerHttp2Stream) => {
    open++;
    clearTimeout(idle);
    const deadline = stream.endAfterHeaders
      ? undefined
      : setTimeout(() => {
          if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_CANCEL);
        }, limits.requestTimeoutMs);
    // "end" is seen by any listener once the handler has read the body; a handler that never
    // reads it ends the stream itself when it answers ("close").
    stream.once("end", () => clearTimeout(deadline));
    stream.once("close", () => {
      clearTimeout(deadline);
      if (--open === 0) armIdle();
    });
  });
}
