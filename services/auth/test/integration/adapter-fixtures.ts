/**
 * Shared setup of the AdapterService suites: a test server, an AdapterService client holding
 * the service credential, and plain SQL on the test database to read what the calls stored.
 */
import type { Client } from "@connectrpc/connect";
import pg from "pg";
import { inject } from "vitest";
import { AdapterService } from "../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { serviceCredentialHeader, startTestServer, type TestServer } from "../harness.js";

export interface AdapterSuite {
  server: TestServer;
  adapter: Client<typeof AdapterService>;
  db: pg.Client;
}

/** Starts the server and connects; stop with stopAdapterSuite. */
export async function startAdapterSuite(): Promise<AdapterSuite> {
  const server = await startTestServer();
  try {
    const db = new pg.Client({ connectionString: inject("databaseUrl") });
    await db.connect();
    return { server, adapter: server.connect(AdapterService, serviceCredentialHeader()), db };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** Closes the SQL connection, then stops the server; either may be missing when setup failed. */
export async function stopAdapterSuite({ server, db }: Partial<AdapterSuite>): Promise<void> {
  await db?.end();
  await server?.stop();
}
