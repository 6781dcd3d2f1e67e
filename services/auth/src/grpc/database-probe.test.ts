import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { startDatabaseProbe, type DatabaseProbe } from "./database-probe.js";
import { HealthStatus, ServingStatus } from "./health.js";

/** A ping whose outcome the test switches: "up", "down" (rejects) or "hang" (never answers). */
function fakeDatabase() {
  const db = { state: "up" as "up" | "down" | "hang", pings: 0 };
  const ping = () => {
    db.pings++;
    if (db.state === "up") return Promise.resolve(1);
    if (db.state === "down") return Promise.reject(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }));
    return new Promise(() => undefined);
  };
  return { db, ping };
}

describe("database probe behind grpc.health", () => {
  let probe: DatabaseProbe | undefined;
  afterEach(() => probe?.stop());

  it("turns NOT_SERVING while the database fails or does not answer, SERVING when it is back, and never after shutdown", async () => {
    const { db, ping } = fakeDatabase();
    const health = new HealthStatus();
    probe = startDatabaseProbe({ ping, health, logger: pino({ level: "silent" }), intervalMs: 100, timeoutMs: 100 });
    await probe.ready;
    expect(health.get("")).toBe(ServingStatus.SERVING);

    db.state = "down";
    await expect.poll(() => health.get(""), { timeout: 5000, interval: 20 }).toBe(ServingStatus.NOT_SERVING);
    db.state = "up";
    await expect.poll(() => health.get(""), { timeout: 5000, interval: 20 }).toBe(ServingStatus.SERVING);
    db.state = "hang";
    await expect.poll(() => health.get(""), { timeout: 5000, interval: 20 }).toBe(ServingStatus.NOT_SERVING);
    db.state = "up";
    await expect.poll(() => health.get(""), { timeout: 5000, interval: 20 }).toBe(ServingStatus.SERVING);

    health.shutdown();
    const pings = db.pings;
    await expect.poll(() => db.pings, { timeout: 5000, interval: 20 }).toBeGreaterThan(pings + 2);
    expect(health.get("")).toBe(ServingStatus.NOT_SERVING);
  });
});
