/**
 * Shared setup of the suites on mailed one-time links (email-verification, password-reset, and
 * session-revocation's reset): the service in process, mail read the way a person would read
 * it, and the answer to a token that cannot be spent.
 */
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, expect } from "vitest";
import type { PrismaClient } from "../../src/db/client.js";
import { inProcessAuth, type InProcessAuth } from "../harness.js";

/** What VerifyEmail and ResetPassword answer for a token that is unknown, spent, expired or for another purpose. */
export const INVALID_TOKEN = { code: Code.Unauthenticated, reason: "token.invalid", field: "" };

/** Where delivered mail is read: a service's database, and its outbox worker when it runs in process. */
export interface MailSource {
  db: PrismaClient;
  mail?: { drain(): Promise<void> };
}

/**
 * Mail delivered to `to` in the development mailbox, oldest first, once every message queued
 * for `to` has left the outbox. Any test process's worker may deliver it (they share the test
 * database), so this waits on the outbox rather than on one worker.
 */
export async function deliveredMail(source: MailSource, to: string): Promise<{ subject: string; text: string; html: string }[]> {
  await source.mail?.drain();
  await expect
    .poll(() => source.db.outboxMail.count({ where: { to, status: "QUEUED" } }), { timeout: 10_000, interval: 50 })
    .toBe(0);
  return source.db.devMail.findMany({ where: { to }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

/** The web app pages that mailed links open. */
export type LinkPage = "verify-email" | "reset-password" | "confirm-email-change";

/** The token in the newest link to `${webUrl}/<page>?token=…` delivered to `to`. */
export async function mailedLinkToken(source: MailSource, to: string, page: LinkPage): Promise<string> {
  const mail = (await deliveredMail(source, to)).filter((m) => m.text.includes(`/${page}?`)).at(-1);
  expect(mail, `a ${page} mail to ${to}`).toBeDefined();
  const match = new RegExp(`/${page}\\?token=([A-Za-z0-9_-]{43})\\b`).exec(mail!.text);
  expect(match).not.toBeNull();
  return match![1]!;
}

/**
 * The service's handlers in process, mailing links to `webUrl`, for the test file that calls
 * this: started in beforeAll, closed in afterAll. Its AuthService client, its database, and
 * what it mailed.
 */
export function mailingService(webUrl: string) {
  let app: InProcessAuth | undefined;
  beforeAll(async () => {
    app = await inProcessAuth({ TESSERA_WEB_URL: webUrl });
  });
  afterAll(() => app?.components.close());
  const started = (): InProcessAuth => app ?? expect.unreachable("the service starts in beforeAll");
  return {
    get auth() {
      return started().auth;
    },
    get db() {
      return started().components.db;
    },
    /** Mail delivered to `to`, oldest first. */
    mailbox: (to: string) => deliveredMail(started().components, to),
    /** The token in the newest link to `page` mailed to `to`. */
    linkToken: (to: string, page: LinkPage) => mailedLinkToken(started().components, to, page),
  };
}
