"use client";
// The user's sessions, read and revoked from the browser straight at the auth service
// (connect-web + the short-lived access token; the service allows this origin by CORS).
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { signOut } from "next-auth/react";
import { useLocale, useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { Session } from "../../../gen/tessera/user/v1/session_pb.js";
import { userClient } from "../../lib/client/tessera-web";

export function SessionsList({ authUrl }: { authUrl: string }) {
  const t = useTranslations("sessions");
  const locale = useLocale();
  // In the browser's own time zone, hence not next-intl's formatter (which the server pins to UTC).
  const when = (ts?: Timestamp) => (ts ? timestampDate(ts).toLocaleString(locale) : "—");
  const client = useMemo(() => userClient(authUrl), [authUrl]);
  const [sessions, setSessions] = useState<Session[]>();
  const [error, setError] = useState<"loadFailed" | "revokeFailed">();
  const [status, setStatus] = useState<string>();

  const load = useCallback(async () => {
    try {
      setSessions((await client.listSessions({})).sessions);
      setError(undefined);
    } catch {
      setError("loadFailed");
    }
  }, [client]);

  useEffect(() => {
    void load();
  }, [load]);

  async function revoke(s: Session) {
    if (s.current) {
      await signOut({ callbackUrl: "/signin" });
      return;
    }
    try {
      await client.revokeSession({ sessionId: s.id });
      setStatus(t("revoked"));
      await load();
    } catch {
      setError("revokeFailed");
    }
  }

  return (
    <section aria-labelledby="sessions-heading" className="card">
      <h2 id="sessions-heading">{t("heading")}</h2>
      {error ? (
        <p role="alert" className="alert error">
          {t(error)}
        </p>
      ) : null}
      <p role="status" className="muted">
        {status ?? (sessions ? t("count", { count: sessions.length }) : t("loading"))}
      </p>
      {sessions?.length ? (
        <div className="table-scroll">
          <table className="stack-on-small">
            <thead>
              <tr>
                <th scope="col">{t("device")}</th>
                <th scope="col">{t("address")}</th>
                <th scope="col">{t("signedIn")}</th>
                <th scope="col">{t("lastActive")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("action")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id} data-session-id={s.id} data-current={s.current ? "true" : "false"}>
                  <td data-label={t("device")}>
                    {s.userAgent || t("unknownDevice")}
                    {s.current ? <strong> {t("thisDevice")}</strong> : null}
                  </td>
                  <td data-label={t("address")}>{s.ipAddress || "—"}</td>
                  <td data-label={t("signedIn")}>{when(s.createTime)}</td>
                  <td data-label={t("lastActive")}>{when(s.lastUsedTime ?? s.createTime)}</td>
                  <td>
                    <button type="button" className="button secondary" onClick={() => void revoke(s)}>
                      {s.current ? t("signOut") : t("revoke")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
