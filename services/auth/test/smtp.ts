/** A real SMTP server (smtp-server package) on 127.0.0.1 for mail tests. */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** A message as the SMTP server received it. */
export interface Received {
  envelopeFrom: string;
  envelopeTo: string[];
  headers: Map<string, string>;
  raw: string;
}

/** A running test SMTP server. */
export interface TestSmtp {
  port: number;
  received: Received[];
  /** While true, every MAIL FROM is answered "451 try again later" (a temporary outage). */
  refusing: boolean;
  /** How many MAIL FROM commands were refused. */
  refused: number;
  close(): Promise<void>;
}

/** Starts an SMTP server that accepts anything (unless `refusing`) and keeps what it got. */
export async function startSmtp(port = 0): Promise<TestSmtp> {
  const state = { refusing: false, refused: 0 };
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (!state.refusing) return callback();
      state.refused++;
      const err = Object.assign(new Error("try again later"), { responseCode: 451 });
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        received.push({
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          headers: parseHeaders(raw),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const bound = (server.server.address() as AddressInfo).port;
  return Object.assign(state, {
    port: bound,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

function parseHeaders(raw: string): Map<string, string> {
  const head = raw.split(/\r?\n\r?\n/, 1)[0]!.replace(/\r?\n[ \t]+/g, " ");
  const headers = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return headers;
}

/** A raw message with quoted-printable soft line breaks and escapes undone (good enough to find links). */
export function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}
