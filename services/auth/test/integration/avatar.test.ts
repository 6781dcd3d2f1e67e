/**
 * UserService.UploadAvatar and GET /avatars/<key> against a real server, database and a
 * temporary avatar folder: accepted types, the served bytes and headers, refusals (type, size,
 * authentication) that leave the account alone, replacement, and keys that are not ours.
 *
 * Size limits: UploadAvatar alone reads requests up to UPLOAD_AVATAR_READ_MAX_BYTES (3 MiB),
 * so an image slightly over 2 MiB reaches the handler and is INVALID_ARGUMENT (field "image"),
 * in binary and in JSON (base64) encodings. Requests over 3 MiB are RESOURCE_EXHAUSTED from
 * Connect itself; every other RPC keeps the 64 KiB limit.
 */
import { existsSync } from "node:fs";
import http from "node:http";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Code, ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { ErrorDetailSchema } from "../../../../gen/tessera/errors/v1/error_detail_pb.js";
import { UserService } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import { GOOD_PASSWORD, startTestServer, uniqueEmail, type TestServer } from "../harness.js";
import { failure } from "../rpc-failure.js";

const PUBLIC_URL = "https://tessera.test.example";
const MiB = 1024 * 1024;
const AVATAR_URL = new RegExp(`^${PUBLIC_URL.replace(/\./g, "\\.")}/avatars/([0-9a-f]{32}\\.(png|jpg|webp))$`);

// Tiny, complete images, written out byte by byte.
/** 1x1 RGBA PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
/** 1x1 grey baseline JPEG: one DC and one AC Huffman code, scan = DC diff 0, EOB. */
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8]), // SOI
  Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]), // APP0 JFIF
  Buffer.from([0xff, 0xdb, 0x00, 0x43, 0x00]), Buffer.alloc(64, 1), // DQT 0, all ones
  Buffer.from([0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00]), // SOF0 1x1, 1 component
  Buffer.from([0xff, 0xc4, 0x00, 0x14, 0x00, 0x01]), Buffer.alloc(15), Buffer.from([0x00]), // DHT DC0: "0" -> 0
  Buffer.from([0xff, 0xc4, 0x00, 0x14, 0x10, 0x01]), Buffer.alloc(15), Buffer.from([0x00]), // DHT AC0: "0" -> EOB
  Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00]), // SOS
  Buffer.from([0x3f]), // bits 00 + padding 1s
  Buffer.from([0xff, 0xd9]), // EOI
]);
/** 1x1 lossless WebP. */
const WEBP = Buffer.from("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==", "base64");
/** A PNG padded with trailing bytes (after IEND) to exactly `size` bytes. */
const pngOfSize = (size: number) => Buffer.concat([PNG, Buffer.alloc(size - PNG.length)]);

let server: TestServer;
let db: pg.Client;
let avatarDir: string;
beforeAll(async () => {
  avatarDir = path.join(await mkdtemp(path.join(tmpdir(), "tessera-avatars-")), "avatars"); // created on first upload
  server = await startTestServer({ TESSERA_AVATAR_DIR: avatarDir, TESSERA_PUBLIC_URL: PUBLIC_URL });
  db = new pg.Client({ connectionString: inject("databaseUrl") });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await server?.stop();
  if (avatarDir) await rm(path.dirname(avatarDir), { recursive: true, force: true });
});

/** A new account and a UserService client carrying its access token. */
async function signUp(protocol: "connect" | "grpc" = "connect") {
  const { user, tokens } = await server.connect(AuthService).register({ email: uniqueEmail("avatar"), password: GOOD_PASSWORD });
  const authorization = `Bearer ${tokens!.accessToken}`;
  return { userId: user!.id, authorization, users: server[protocol](UserService, { authorization }) };
}

/** A Connect (HTTP/1.1) UserService client with transport options the harness does not offer. */
function connectClient(authorization: string, options: { useBinaryFormat?: boolean; nodeOptions?: http.RequestOptions }) {
  const withToken: Interceptor = (next) => (req) => {
    req.header.set("authorization", authorization);
    return next(req);
  };
  return createClient(UserService, createConnectTransport({ baseUrl: server.baseUrl, httpVersion: "1.1", interceptors: [withToken], ...options }));
}


async function imageOf(userId: string): Promise<string | null> {
  const { rows } = await db.query<{ image: string | null }>(`SELECT image FROM "User" WHERE id = $1`, [userId]);
  return rows[0]!.image;
}

/** GET (or HEAD) of an avatar URL, or of a raw path, on the test server. */
async function fetchAvatar(urlOrPath: string, method = "GET") {
  const p = urlOrPath.startsWith(PUBLIC_URL) ? urlOrPath.slice(PUBLIC_URL.length) : urlOrPath;
  const res = await fetch(`${server.baseUrl}${p}`, { method });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

const storedFiles = async () => (existsSync(avatarDir) ? (await readdir(avatarDir)).sort() : []);

describe("accepted images", () => {
  it.each([
    ["PNG", PNG, "image/png", "png"],
    ["JPEG", JPEG, "image/jpeg", "jpg"],
    ["WebP", WEBP, "image/webp", "webp"],
  ] as const)("a %s becomes the caller's image, served with its type", async (_name, bytes, type, ext) => {
    const { userId, users } = await signUp();
    const { user } = await users.uploadAvatar({ image: bytes });
    const match = AVATAR_URL.exec(user!.image);
    expect(match?.[2]).toBe(ext);
    expect(user!.id).toBe(userId);
    expect(await imageOf(userId)).toBe(user!.image);
    expect(existsSync(path.join(avatarDir, match![1]!))).toBe(true);

    const res = await fetchAvatar(user!.image);
    expect(res.status).toBe(200);
    expect(res.bytes.equals(bytes)).toBe(true);
    expect(Object.fromEntries(["content-type", "content-length", "x-content-type-options", "content-security-policy", "cache-control"].map((h) => [h, res.headers.get(h)]))).toEqual({
      "content-type": type,
      "content-length": String(bytes.length),
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'",
      "cache-control": "public, max-age=31536000, immutable",
    });
  });

  it.each(["connect", "grpc"] as const)("an image of exactly 2 MiB is accepted over %s", async (protocol) => {
    const { users } = await signUp(protocol);
    const image = pngOfSize(2 * MiB);
    const { user } = await users.uploadAvatar({ image });
    const res = await fetchAvatar(user!.image);
    expect(res.status).toBe(200);
    expect(res.bytes.equals(image)).toBe(true);
  });

  it("HEAD answers the headers without the bytes", async () => {
    const { users } = await signUp();
    const { user } = await users.uploadAvatar({ image: PNG });
    const res = await fetchAvatar(user!.image, "HEAD");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.bytes.length).toBe(0);
  });
});

describe("replacing an avatar", () => {
  it("a second upload replaces the first: new URL, old URL 404s and its file is gone", async () => {
    const { userId, users } = await signUp();
    const first = (await users.uploadAvatar({ image: PNG })).user!.image;
    const second = (await users.uploadAvatar({ image: JPEG })).user!.image;
    expect(second).not.toBe(first);
    expect(await imageOf(userId)).toBe(second);
    expect((await fetchAvatar(second)).status).toBe(200);
    const gone = await fetchAvatar(first);
    expect(gone.status).toBe(404);
    expect(JSON.parse(gone.bytes.toString())).toMatchObject({ code: "not_found" });
    expect(existsSync(path.join(avatarDir, AVATAR_URL.exec(first)![1]!))).toBe(false);
  });

  it("deleting the account removes its avatar file", async () => {
    const { users } = await signUp();
    const url = (await users.uploadAvatar({ image: PNG })).user!.image;
    await users.deleteAccount({ password: GOOD_PASSWORD });
    expect((await fetchAvatar(url)).status).toBe(404);
    expect(existsSync(path.join(avatarDir, AVATAR_URL.exec(url)![1]!))).toBe(false);
  });

  it("an upload over an external image URL leaves nothing to delete and succeeds", async () => {
    const { userId, users } = await signUp();
    await db.query(`UPDATE "User" SET image = $1 WHERE id = $2`, ["https://images.example.org/me.png", userId]);
    const { user } = await users.uploadAvatar({ image: WEBP });
    expect(user!.image).toMatch(AVATAR_URL);
  });

  it("does not delete another user's avatar whose URL the caller had copied", async () => {
    const a = await signUp();
    const b = await signUp();
    const aImage = (await a.users.uploadAvatar({ image: PNG })).user!.image;
    // UpdateProfile accepts any https URL; here B points at A's avatar directly.
    await db.query(`UPDATE "User" SET image = $1 WHERE id = $2`, [aImage, b.userId]);
    await b.users.uploadAvatar({ image: JPEG });
    expect((await fetchAvatar(aImage)).status).toBe(200);
    expect(await imageOf(a.userId)).toBe(aImage);
  });
});

describe("refused uploads are INVALID_ARGUMENT (field image) and change nothing", () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>';
  it.each([
    ["empty", Buffer.alloc(0)],
    ["plain text", Buffer.from("hello, I am not an image\n")],
    ["an SVG", Buffer.from(svg)],
    ["an SVG with an XML declaration", Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${svg}`)],
    ["an HTML page", Buffer.from("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>")],
    ["a GIF", Buffer.from("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==", "base64")],
    ["a PDF", Buffer.from("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")],
    ["HTML with an image name in it", Buffer.from('<img src="x.png" onerror="alert(1)">')],
    ["a PNG signature alone", PNG.subarray(0, 8)],
    ["random bytes", Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 131 + 7) % 256))],
  ])("%s", async (_name, image) => {
    const { userId, users } = await signUp();
    const before = (await users.uploadAvatar({ image: PNG })).user!.image;
    const files = await storedFiles();
    const f = await failure(users.uploadAvatar({ image }));
    expect(f).toMatchObject({ code: Code.InvalidArgument, reason: "request.invalid_argument", field: "image" });
    expect(f.message).toMatch(image.length === 0 ? /required/ : /PNG, JPEG or WebP/);
    expect(await imageOf(userId)).toBe(before);
    expect(await storedFiles()).toEqual(files);
    expect((await fetchAvatar(before)).status).toBe(200);
  });

  it.each([
    ["Connect (binary)", "connect"],
    ["gRPC", "grpc"],
    ["Connect (JSON, base64)", "json"],
  ] as const)("an image of 2 MiB + 1 byte over %s", async (_name, how) => {
    const { userId, authorization, users: binary } = await signUp(how === "grpc" ? "grpc" : "connect");
    const users =
      how === "json"
        ? connectClient(authorization, { useBinaryFormat: false })
        : binary;
    const f = await failure(users.uploadAvatar({ image: pngOfSize(2 * MiB + 1) }));
    expect(f).toMatchObject({ code: Code.InvalidArgument, field: "image" });
    expect(f.message).toMatch(/at most 2 MiB/);
    expect(await imageOf(userId)).toBeNull();
  });

  it.each(["connect", "grpc"] as const)("a request over the transport limit (3 MiB) is RESOURCE_EXHAUSTED over %s, before the handler runs", async (protocol) => {
    const { userId, authorization, users: grpc } = await signUp(protocol);
    // Over HTTP/1.1 on a connection of its own: after refusing an oversized chunked body the
    // server stops reading it, so a kept-alive connection would stall the next call (see report).
    const users =
      protocol === "grpc"
        ? grpc
        : connectClient(authorization, { nodeOptions: { agent: new http.Agent({ keepAlive: false }) } });
    const f = await failure(users.uploadAvatar({ image: pngOfSize(4 * MiB) }));
    expect(f.code).toBe(Code.ResourceExhausted);
    expect(await imageOf(userId)).toBeNull();
  });
});

describe("authentication", () => {
  it.each([
    ["no access token", {}],
    ["a malformed token", { authorization: "Bearer not-a-token" }],
    ["a forged token", { authorization: "Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln" }],
  ])("%s is UNAUTHENTICATED and stores nothing", async (_name, headers) => {
    const files = await storedFiles();
    const f = await failure(server.connect(UserService, headers).uploadAvatar({ image: PNG }));
    expect(f.code).toBe(Code.Unauthenticated);
    expect(await storedFiles()).toEqual(files);
  });

  it("a logged-out session's token is UNAUTHENTICATED and the image stays", async () => {
    const { user, tokens } = await server.connect(AuthService).register({ email: uniqueEmail("avatar"), password: GOOD_PASSWORD });
    const users = server.connect(UserService, { authorization: `Bearer ${tokens!.accessToken}` });
    const before = (await users.uploadAvatar({ image: PNG })).user!.image;
    await server.connect(AuthService).logout({ refreshToken: tokens!.refreshToken });
    expect((await failure(users.uploadAvatar({ image: JPEG }))).code).toBe(Code.Unauthenticated);
    expect(await imageOf(user!.id)).toBe(before);
  });
});

describe("GET /avatars/<key> only serves keys we made", () => {
  beforeAll(async () => {
    // Bait next to and above the avatar folder: none of it may ever be served.
    await signUp().then(({ users }) => users.uploadAvatar({ image: PNG })); // the folder exists
    await writeFile(path.join(path.dirname(avatarDir), "secret.png"), "top secret");
    await writeFile(path.join(avatarDir, "notes.png"), "not an avatar");
  });

  it.each([
    ["an unknown well-formed key", `/avatars/${"0".repeat(32)}.png`],
    ["an encoded parent path", "/avatars/..%2F..%2F..%2Fetc%2Fpasswd"],
    ["an encoded parent file", "/avatars/..%2Fsecret.png"],
    ["encoded dots", "/avatars/%2e%2e%2fsecret.png"],
    ["a backslash path", "/avatars/..%5Csecret.png"],
    ["a plain parent path", "/avatars/../secret.png"],
    ["a file in the folder that is not a key", "/avatars/notes.png"],
    ["an upper-case key", `/avatars/${"A".repeat(32)}.png`],
    ["a key with another extension", `/avatars/${"0".repeat(32)}.svg`],
    ["a temporary file name", "/avatars/.tmp-0000000000000000"],
    ["a NUL byte", `/avatars/${"0".repeat(32)}.png%00`],
    ["the folder itself", "/avatars/"],
  ])("%s is a JSON 404", async (_name, p) => {
    const res = await fetchAvatar(p);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.bytes.toString()).not.toMatch(/secret|not an avatar/);
  });
});

describe("the larger read limit is UploadAvatar's alone", () => {
  it("another UserService RPC over 64 KiB is still RESOURCE_EXHAUSTED", async () => {
    const { users } = await signUp();
    expect((await failure(users.getUser({ userId: "u".repeat(70_000) }))).code).toBe(Code.ResourceExhausted);
  });

  it("an AuthService request over 64 KiB is still RESOURCE_EXHAUSTED", async () => {
    const f = await failure(server.connect(AuthService).register({ email: uniqueEmail(), password: GOOD_PASSWORD, name: "n".repeat(70_000) }));
    expect(f.code).toBe(Code.ResourceExhausted);
  });
});
