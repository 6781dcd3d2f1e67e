import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError, PROBLEM_JSON } from "./errors.js";

/** Headers on every response. The gateway serves JSON only, never pages to frame or sniff. */
export const SECURITY_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-resource-policy": "same-origin",
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, type = "application/json; charset=utf-8"): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "content-type": type,
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: HttpError): void {
  sendJson(res, err.status, err.body(), { "cache-control": "no-store", ...err.headers }, PROBLEM_JSON);
}

/** Sets CORS headers for an allowed Origin; returns whether the origin is allowed. */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowed: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  res.setHeader("vary", "Origin");
  if (typeof origin !== "string" || !allowed.has(origin)) return false;
  res.setHeader("access-control-allow-origin", origin);
  res.setHeader("access-control-expose-headers", "x-request-id, retry-after");
  return true;
}

/** Answers a CORS preflight: 204 with the allowed methods and headers, only for listed origins. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse, allowed: ReadonlySet<string>, methods: string[]): void {
  if (applyCors(req, res, allowed) && methods.length > 0) {
    res.setHeader("access-control-allow-methods", methods.join(", "));
    res.setHeader("access-control-allow-headers", "authorization, content-type, x-request-id");
    res.setHeader("access-control-max-age", "600");
  }
  res.writeHead(204);
  res.end();
}

/** Reads the whole body, refusing (413) more than `max` bytes, by Content-Length or as it streams. */
export async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > max) throw tooLarge(max);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw tooLarge(max);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

export function tooLarge(max: number): HttpError {
  return new HttpError(413, "resource_exhausted", "request.too_large", `request body larger than ${max} bytes`);
}

/** Reads a JSON object body (an empty body counts as {}). */
export async function readJson(req: IncomingMessage, max: number): Promise<unknown> {
  const type = req.headers["content-type"];
  const raw = await readBody(req, max);
  if (raw.length === 0) return {};
  if (typeof type !== "string" || !/^application\/json\s*(;|$)/i.test(type))
    throw new HttpError(415, "invalid_argument", "request.unsupported_media_type", "Content-Type must be application/json");
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    throw new HttpError(400, "invalid_argument", "request.invalid_argument", "body is not valid JSON");
  }
}
