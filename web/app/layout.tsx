import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import type { ReactNode } from "react";
import { clientInfo } from "../lib/server/client-info";
import { webConfig } from "../lib/server/config";
import { isLoopback } from "../lib/server/forwarded-headers";
import { currentSession } from "../lib/server/session";
import "./globals.css";

// Every page depends on the visitor's session and on runtime configuration (secrets are read
// when serving, never at build time).
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: { default: "Tessera", template: "%s · Tessera" } };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await currentSession();
  // The mailbox link only where the mailbox answers (development, from this machine).
  const dev = !webConfig().production && isLoopback(clientInfo(await headers()).ipAddress);
  return (
    <html lang="en">
      <body>
        <a href="#main" className="visually-hidden">
          Skip to content
        </a>
        <header className="site-header row">
          <Link href="/" className="brand">
            Tessera
          </Link>
          <nav aria-label="Main" className="row">
            {session ? <Link href="/account">Account</Link> : <Link href="/signin">Sign in</Link>}
            {session ? null : <Link href="/signup">Create account</Link>}
            {dev ? <Link href="/dev/mailbox">Mailbox</Link> : null}
          </nav>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
