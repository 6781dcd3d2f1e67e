// The pages' Content-Security-Policy (set per request by proxy.ts, which also hands the nonce
// to Next.js through the request's own CSP header so its scripts carry it).

/** A fresh, unguessable nonce for one response (128 random bits). */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/**
 * The policy for a page rendered with `nonce`. Scripts run only if the server gave them the
 * nonce ('strict-dynamic' lets those load Next.js's chunks), so an injected script or a
 * same-origin upload cannot run; no plugins, no <base> hijack, no framing (clickjacking), forms
 * post only here. The browser talks to the auth service itself (the session list over
 * Connect, avatar images), so its origin is allowed for connect-src and img-src.
 */
export function contentSecurityPolicy(nonce: string, authOrigin: string, development = false): string {
  const directives = [
    "default-src 'self'",
    // 'unsafe-eval' only for `next dev` (React's debugging needs it); never in a build.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    `img-src 'self' data: blob: ${authOrigin}`,
    "font-src 'self'",
    `connect-src 'self' ${authOrigin}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.join("; ");
}
