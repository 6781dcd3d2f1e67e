import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Fragment } from "react";
import { clientInfo } from "../../../lib/server/client-info";
import { webConfig } from "../../../lib/server/config";
import { isLoopback } from "../../../lib/server/forwarded-headers";
import { Field } from "../../../components/form-parts";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("mailbox"))("title") };
}

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
  const t = await getTranslations("mailbox");
  const url = new URL(`${cfg.authUrl}/dev/mail`);
  if (to) url.searchParams.set("to", to);
  let messages: DevMail[] = [];
  let error = false;
  try {
    const res = await fetch(url, { cache: "no-store" });
    if (!res.ok) throw new Error(`status ${res.status}`);
    messages = ((await res.json()) as { messages: DevMail[] }).messages;
  } catch (err) {
    console.error("tessera web: reading the development mailbox failed", err);
    error = true;
  }
  return (
    <>
      <h1>{t("heading")}</h1>
      <p className="muted">{t("intro")}</p>
      <form method="get" aria-label={t("filterLabel")} className="inline-form">
        <Field name="to" label={t("recipient")} type="email" defaultValue={to ?? ""} />
        <button type="submit" className="button secondary">
          {t("filter")}
        </button>
      </form>
      {error ? (
        <p role="alert" className="alert error">
          {t("readFailed")}
        </p>
      ) : null}
      {messages.length === 0 && !error ? <p className="empty-state">{t("empty")}</p> : null}
      {messages.map((m) => (
        <article key={m.id} className="mail" aria-label={m.subject}>
          <h2>{m.subject}</h2>
          <p className="muted">
            {t("meta", { to: m.to, date: new Date(m.createdAt) })}
          </p>
          <Linked text={m.text} />
        </article>
      ))}
    </>
  );
}
