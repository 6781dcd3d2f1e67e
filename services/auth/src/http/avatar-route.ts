import type { ServerResponse } from "node:http";
import { sendJson, type HttpRoute } from "./http-routes.js";
import type { AvatarStorage } from "../avatar/avatar-storage.js";

/** Served with every avatar: the bytes are only ever an image, never a document or a script. */
const IMAGE_HEADERS = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'",
  // A key is never reused: a new upload gets a new key, and so a new URL.
  "cache-control": "public, max-age=31536000, immutable",
} as const;

/**
 * `GET /avatars/<key>`: an uploaded avatar with its stored content type. Unknown and malformed
 * keys (anything not made by newAvatarKey, e.g. `..%2F..`) are a JSON 404; the storage checks
 * the key's shape before touching the disk.
 */
export function avatarRoute(avatars: AvatarStorage): HttpRoute {
  return {
    method: "GET",
    path: /^\/avatars\/([^/]+)$/,
    route: "/avatars/{key}",
    async handle(req, res, match) {
      const image = await avatars.get(match[1]!);
      if (!image) {
        sendJson(res, 404, { code: "not_found", message: "no such avatar" });
        return;
      }
      const r = res as unknown as ServerResponse;
      r.writeHead(200, { "content-type": image.contentType, "content-length": image.bytes.length, ...IMAGE_HEADERS });
      r.end(req.method === "HEAD" ? undefined : image.bytes);
    },
  };
}
