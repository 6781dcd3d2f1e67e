// One account as an admin sees it: identity and profile, live sessions, recent security
// events; and the two things an admin may do here, end every session and grant or remove the
// admin role, each behind a confirmation.
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { AuditEventType } from "../../../../../gen/tessera/user/v1/audit_event_pb.js";
import { Role } from "../../../../../gen/tessera/user/v1/user_pb.js";
import { ConfirmAction } from "../../../../components/confirm-action";
import { DeviceName } from "../../../../components/device-name";
import { RelativeTime } from "../../../../components/relative-time";
import { errorDetail } from "../../../../lib/server/errors";
import { PROFILE_FIELDS } from "../../../../lib/profile-fields";
import { tessera } from "../../../../lib/server/rpc";
import { asUser, orSignIn } from "../../../../lib/server/session";
import { revokeUserSessions, setAdminRole } from "../../admin-actions";
import { requireAdmin } from "../../require-admin";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("userTitle") };
}

export default async function AdminUserPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { session, me } = await requireAdmin(`/admin/users/${encodeURIComponent(id)}`);
  const t = await getTranslations("admin");
  const tp = await getTranslations("profile");
  const locale = await getLocale();
  const rpc = tessera().user;
  const user = await orSignIn(rpc.getUser({ userId: id }, asUser(session)))
    .then((r) => r.user!)
    .catch((err: unknown) => {
      const reason = errorDetail(err)?.reason;
      if (reason === "user.not_found" || reason === "request.invalid_argument") notFound();
      throw err;
    });
  const [{ sessions }, { events }] = await Promise.all([
    orSignIn(rpc.listSessions({ userId: id }, asUser(session))),
    orSignIn(rpc.listAuditEvents({ userId: id, pageSize: 20 }, asUser(session))),
  ]);
  const when = (ts?: Timestamp) => <RelativeTime at={ts} locale={locale} />;
  // Every AuditEventType has a name in the catalogs; one added later reads "Event" until it does.
  const eventName = (type: AuditEventType) => {
    const key = `event.${AuditEventType[type]}` as "event.UNSPECIFIED";
    return t.has(key) ? t(key) : t("event.UNSPECIFIED");
  };
  const isAdmin = user.role === Role.ADMIN;
  const profile = user.profile;
  const filled = PROFILE_FIELDS.filter((f) => {
    const v = profile?.[f.key];
    return v !== undefined && v !== "" && v !== 0;
  });
  return (
    <>
      <p>
        <Link href="/admin">{t("backToUsers")}</Link>
      </p>
      <h1>{user.email}</h1>
      <section aria-labelledby="identity-heading" className="card">
        <h2 id="identity-heading">{t("identity")}</h2>
        <dl className="facts">
          <dt>{t("name")}</dt>
          <dd>{user.name || "—"}</dd>
          <dt>{t("emailStatus")}</dt>
          <dd>{user.emailVerifiedTime ? <>{t("verified")} {when(user.emailVerifiedTime)}</> : t("unverified")}</dd>
          <dt>{t("role")}</dt>
          <dd data-testid="role">{isAdmin ? t("roleAdmin") : t("roleUser")}</dd>
          <dt>{t("created")}</dt>
          <dd>{when(user.createTime)}</dd>
          <dt>{t("userId")}</dt>
          <dd>
            <code>{user.id}</code>
          </dd>
          {filled.map((f) => (
            <FieldRow key={f.key} label={tp(f.key)} value={String(profile![f.key])} />
          ))}
        </dl>
        <ConfirmAction
          action={setAdminRole}
          trigger={isAdmin ? t("removeAdmin") : t("grantAdmin")}
          title={isAdmin ? t("removeAdminTitle", { email: user.email }) : t("grantAdminTitle", { email: user.email })}
          confirm={isAdmin ? t("removeAdmin") : t("grantAdmin")}
          cancel={t("cancel")}
          fields={{ userId: user.id, grant: String(!isAdmin) }}
          danger={isAdmin}
        >
          <p>{isAdmin ? (user.id === me.id ? t("removeAdminSelfBody") : t("removeAdminBody")) : t("grantAdminBody")}</p>
        </ConfirmAction>
      </section>

      <section aria-labelledby="sessions-heading" className="card">
        <h2 id="sessions-heading">{t("sessions")}</h2>
        {sessions.length === 0 ? (
          <p className="empty-state">{t("noSessions")}</p>
        ) : (
          <ul className="plain-list">
            {sessions.map((s) => (
              <li key={s.id} data-session-id={s.id}>
                <strong>
                  <DeviceName browser={s.browser} os={s.operatingSystem} unknown={t("unknownDevice")} on={t("deviceOn")} />
                </strong>
                <span className="muted">
                  {" "}
                  · {s.ipAddress || "—"} · {t("signedIn")} {when(s.createTime)} · {t("lastActive")} {when(s.lastUsedTime ?? s.createTime)}
                </span>
              </li>
            ))}
          </ul>
        )}
        {/* Kept when no session is left, so the outcome of ending them stays on the page. */}
        <ConfirmAction
          action={revokeUserSessions}
            trigger={t("revokeAll")}
            title={t("revokeAllTitle", { email: user.email })}
            confirm={t("revokeAll")}
            cancel={t("cancel")}
            fields={{ userId: user.id }}
            danger
            disabled={sessions.length === 0}
          >
            <p>{t("revokeAllBody", { count: sessions.length })}</p>
          </ConfirmAction>
      </section>

      <section aria-labelledby="events-heading" className="card">
        <h2 id="events-heading">{t("events")}</h2>
        {events.length === 0 ? (
          <p className="empty-state">{t("noEvents")}</p>
        ) : (
          <ul className="plain-list">
            {events.map((e) => (
              <li key={e.id} data-event-type={AuditEventType[e.type]}>
                <strong>{eventName(e.type)}</strong>{" "}
                <span className="muted">
                  {when(e.createTime)}
                  {e.ipAddress ? ` · ${e.ipAddress}` : ""}
                  {e.actorUserId ? ` · ${t("byAdmin", { id: e.actorUserId })}` : ""}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function FieldRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}
