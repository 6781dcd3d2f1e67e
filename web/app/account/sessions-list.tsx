"use client";
// The user's sessions, read and revoked from the browser straight at the auth service
// (connect-web + the short-lived access token; the service allows this origin by CORS). Each
// shows its device as the service read it, when it signed in and was last active, and this
// device is marked; revoking asks first.
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { signOut } from "next-auth/react";
import { useLocale, useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { Session } from "../../../gen/tessera/user/v1/session_pb.js";
import { ConfirmAction } from "../../components/confirm-action";
import { DeviceName, deviceText } from "../../components/device-name";
import { userClient } from "../../lib/client/tessera-web";
import { RelativeTime } from "../../components/relative-time";

export function SessionsList({ authUrl }: { authUrl: string }) {
  const t = useTranslations("sessions");
  const locale = useLocale();
  const client = useMemo(() => userClient(authUrl), [authUrl]);
  const [sessions, setSessions] = useState<Session[]>();
  const [error, setError] = useState<string>();
  // The last revocation's outcome, said for the whole list (the revoked row is gone).
  const [status, setStatus] = useState<string>();

  const load = useCallback(async () => {
    try {
      setSessions((await client.listSessions({})).sessions);
      setError(undefined);
    } catch {
      setError(t("loadFailed"));
    }
  }, [client, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const when = (ts?: Timestamp) => <RelativeTime at={ts} locale={locale} />;

  async function revoke(s: Session) {
    if (s.current) {
      await signOut({ callbackUrl: "/signin" });
      return { ok: t("signedOut") };
    }
    try {
      await client.revokeSession({ sessionId: s.id });
      setStatus(t("revoked"));
      await load();
      return undefined;
    } catch {
      return { error: t("revokeFailed") };
    }
  }

  return (
    <section aria-labelledby="sessions-heading" className="card">
      <h2 id="sessions-heading">{t("heading")}</h2>
      {error ? (
        <p role="alert" className="alert error">
          {error}
        </p>
      ) : null}
      <p role="status" className="muted">
        {status ?? (sessions ? t("count", { count: sessions.length }) : t("loading"))}
      </p>
      {sessions?.length ? (
        <ul className="plain-list sessions">
          {sessions.map((s) => {
            const device = <DeviceName browser={s.browser} os={s.operatingSystem} unknown={t("unknownDevice")} on={t("on")} />;
            return (
              <li key={s.id} data-session-id={s.id} data-current={s.current ? "true" : "false"} className="session">
                <div>
                  <strong>{device}</strong> {s.current ? <span className="badge ok">{t("thisDevice")}</span> : null}
                  <div className="muted">
                    {s.ipAddress || "—"} · {t("signedIn")} {when(s.createTime)} · {t("lastActive")} {when(s.lastUsedTime ?? s.createTime)}
                  </div>
                </div>
                <ConfirmAction
                  action={() => revoke(s)}
                  trigger={s.current ? t("signOut") : t("revoke")}
                  title={s.current ? t("signOutTitle") : t("revokeTitle")}
                  confirm={s.current ? t("signOut") : t("revoke")}
                  cancel={t("cancel")}
                  danger={!s.current}
                >
                  <p>{s.current ? t("signOutBody") : t("revokeBody", { device: deviceText(s, { unknown: t("unknownDevice"), on: t("on") }) })}</p>
                </ConfirmAction>
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}
