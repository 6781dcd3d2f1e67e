/**
 * Set on globalThis by web/server.ts before Next.js loads: next.config.ts refuses to serve the
 * app without it, because `next start` keeps a client-sent X-Forwarded-For that the app would
 * relay to the auth service as the client's address.
 */
export const WEB_SERVER_MARK = Symbol.for("tessera.web.server");
