import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { Fragment } from "react";
import { clientInfo } from "../../../lib/server/client-info";
import { webConfig } from "../../../lib/server/config";
import { isLoopback } from "../../../lib/server/forwarded-headers";

export const metadata: Metadata = { title: "Development mailbox" };

interface DevMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
}

/** Plain text with its http(s) links made clickable. */
function Linked({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return (
    <pre>
      {parts.map((part, i) => (
        <Fragment key={i}>{i % 2 === 1 ? <a href={part}>{part}</a> : part}</Fragment>
      ))}
    </pre>
  );
}

// Outside production, the auth service keeps every mail it "sends" (GET /dev/mail); this page
// lists them so a newcomer can follow verification and reset links without an SMTP server.
// It holds every account's reset links, so it answers only when development was asked for
// (TESSERA_ENV) and only to this machine: the socket-derived address (web/server.ts) must be
// loopback, whatever interface the server listens on.
export default async function MailboxPage({ searchParams }: { searchParams: Promise<{ to?: string }> }) {
  const cfg = webConfig();
  if (cfg.production || !isLoopback(clientInfo(await headers()).ipAddress)) notFound();
  const { to } = await searchParams;
  const url = new URL(`${cfg.authUrl}/dev/mail`);
  if (to) url.searchParams.set("to", to);
  let messages: DevMail[] = [];
  let error: string | undefined;
  try {
    const res = await fetch(url, { cache: "no-store" });
    if (!res.ok) throw new Error(`status ${res.status}`);
    messages = ((await res.json()) as { messages: DevMail[] }).messages;
  } catch (err) {
    console.error("tessera web: reading the development mailbox failed", err);
    error = "Could not read the development mailbox from the auth service.";
  }
  return (
    <>
      <h1>Development mailbox</h1>
      <p className="muted">Every mail the auth service sent, newest first. This page does not exist in production.</p>
      <form method="get" aria-label="Filter by recipient" className="row">
        <label>
          Recipient
          <input name="to" type="email" defaultValue={to ?? ""} />
        </label>
        <button type="submit">Filter</button>
      </form>
      {error ? (
        <p role="alert" className="alert error">
          {error}
        </p>
      ) : null}
      {messages.length === 0 && !error ? <p>No mail yet.</p> : null}
      {messages.map((m) => (
        <article key={m.id} className="mail" aria-label={m.subject}>
          <h2>{m.subject}</h2>
          <p className="muted">
            To {m.to} · {new Date(m.createdAt).toLocaleString("en-GB", { timeZone: "UTC" })} UTC
          </p>
          <Linked text={m.text} />
        </article>
      ))}
    </>
  );
}
