"use client";
// The user's sessions, read and revoked from the browser straight at the auth service
// (connect-web + the short-lived access token; the service allows this origin by CORS).
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { signOut } from "next-auth/react";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { Session } from "../../../gen/tessera/user/v1/session_pb.js";
import { userClient } from "../../lib/client/tessera-web";

const when = (t?: Timestamp) => (t ? timestampDate(t).toLocaleString() : "—");

export function SessionsList({ authUrl }: { authUrl: string }) {
  const client = useMemo(() => userClient(authUrl), [authUrl]);
  const [sessions, setSessions] = useState<Session[]>();
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();

  const load = useCallback(async () => {
    try {
      setSessions((await client.listSessions({})).sessions);
      setError(undefined);
    } catch {
      setError("Could not load your sessions. Reload the page to try again.");
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
      setStatus("Session revoked.");
      await load();
    } catch {
      setError("Could not revoke that session. Try again.");
    }
  }

  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Where you are signed in</h2>
      {error ? (
        <p role="alert" className="alert error">
          {error}
        </p>
      ) : null}
      <p role="status" className="muted">
        {status ?? (sessions ? `${sessions.length} active session${sessions.length === 1 ? "" : "s"}` : "Loading sessions…")}
      </p>
      {sessions?.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Address</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last active</th>
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id} data-session-id={s.id} data-current={s.current ? "true" : "false"}>
                <td>
                  {s.userAgent || "Unknown device"}
                  {s.current ? <strong> (this device)</strong> : null}
                </td>
                <td>{s.ipAddress || "—"}</td>
                <td>{when(s.createTime)}</td>
                <td>{when(s.lastUsedTime ?? s.createTime)}</td>
                <td>
                  <button type="button" onClick={() => void revoke(s)}>
                    {s.current ? "Sign out" : "Revoke"}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
