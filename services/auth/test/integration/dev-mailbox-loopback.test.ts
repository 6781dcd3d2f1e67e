/**
 * The development mailbox (GET /dev/mail…) holds every reset and verification link, so it
 * answers only clients whose socket comes from loopback; a forwarded header never counts.
 *
 * A non-loopback peer on one machine: the service is bound to this machine's own non-loopback
 * address (e.g. eth0's) and called at that address, so the kernel reports that address, not
 * 127.0.0.1, as the peer. That is exactly what a client on the network looks like to the check.
 */
import { networkInterfaces } from "node:os";
import { describe, expect, it } from "vitest";
import { isLoopbackPeer } from "../../src/http/dev-mailbox-routes.js";
import { startTestServer } from "../harness.js";

/** An IPv4 address of this machine that is not loopback, if it has one. */
function outsideAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === "IPv4" && !a.internal)?.address;
}

describe("isLoopbackPeer", () => {
  it.each(["127.0.0.1", "127.0.0.2", "127.255.255.254", "::1", "::ffff:127.0.0.1"])("accepts %s", (address) => {
    expect(isLoopbackPeer(address)).toBe(true);
  });

  it.each(["192.0.2.2", "10.0.0.1", "::ffff:192.0.2.2", "fd00::2", "::", "0.0.0.0", "128.0.0.1", "", undefined])("refuses %s", (address) => {
    expect(isLoopbackPeer(address)).toBe(false);
  });
});

describe("GET /dev/mail", () => {
  it("answers a loopback client, also on another loopback address (127.0.0.2)", async () => {
    for (const host of ["127.0.0.1", "127.0.0.2"]) {
      const server = await startTestServer({ TESSERA_AUTH_HOST: host });
      try {
        const res = await fetch(`http://${host}:${server.app.port}/dev/mail?to=nobody@example.com`);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ messages: [] });
      } finally {
        await server.stop();
      }
    }
  });

  it("is a 404 for a client on the network, whatever X-Forwarded-For says", async () => {
    const outside = outsideAddress();
    // Without a non-loopback interface there is no such client to be; isLoopbackPeer is covered above.
    if (!outside) return;
    const server = await startTestServer({ TESSERA_AUTH_HOST: outside });
    try {
      const base = `http://${outside}:${server.app.port}`;
      for (const path of ["/dev/mail", "/dev/mail?to=nobody@example.com", "/dev/mail/00000000-0000-0000-0000-000000000000"]) {
        const res = await fetch(`${base}${path}`, { headers: { "x-forwarded-for": "127.0.0.1", forwarded: "for=127.0.0.1" } });
        expect(res.status, path).toBe(404);
        expect(await res.json()).toEqual({ code: "not_found", message: "no such route" }); // same as an unknown path
      }
      // The rest of the service answers that client as usual.
      expect((await fetch(`${base}/.well-known/jwks.json`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
