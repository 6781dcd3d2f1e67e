// The admin console's user list: search by email prefix and page through every account.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { Field } from "../../components/form-parts";
import { Role } from "../../../gen/tessera/user/v1/user_pb.js";
import { exactTime } from "../../lib/relative-time";
import { errorDetail } from "../../lib/server/errors";
import { tessera } from "../../lib/server/rpc";
import { asUser, orSignIn } from "../../lib/server/session";
import { requireAdmin } from "./require-admin";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("usersTitle") };
}

const PAGE_SIZE = 20;

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<{ q?: string; page?: string }> }) {
  const { q = "", page = "" } = await searchParams;
  const { session } = await requireAdmin("/admin");
  const t = await getTranslations("admin");
  const locale = await getLocale();
  const query = q.trim().toLowerCase().slice(0, 254);
  const list = (pageToken: string) => orSignIn(tessera().user.listUsers({ pageSize: PAGE_SIZE, pageToken, emailPrefix: query }, asUser(session)));
  // A page link from before the list changed shape (or typed by hand) starts over at page one.
  const { users, nextPageToken } = await list(page).catch((err: unknown) => {
    if (page && errorDetail(err)?.reason === "request.invalid_argument") return list("");
    throw err;
  });
  const withQuery = (p: Record<string, string>) => `/admin?${new URLSearchParams({ ...(query ? { q: query } : {}), ...p })}`;
  return (
    <>
      <h1>{t("usersTitle")}</h1>
      <form role="search" method="get" action="/admin" className="inline-form">
        <Field name="q" label={t("searchLabel")} type="search" defaultValue={query} maxLength={254} autoComplete="off" hint={t("searchPlaceholder")} />
        <button type="submit" className="button secondary">
          {t("search")}
        </button>
      </form>
      {users.length === 0 ? (
        <p className="empty-state">{query ? t("noMatch", { query }) : t("noUsers")}</p>
      ) : (
        <div className="table-scroll">
          <table className="stack-on-small">
            <caption className="visually-hidden">{t("usersCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("email")}</th>
                <th scope="col">{t("name")}</th>
                <th scope="col">{t("role")}</th>
                <th scope="col">{t("created")}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-user-id={u.id}>
                  <td data-label={t("email")}>
                    <Link href={`/admin/users/${encodeURIComponent(u.id)}`}>{u.email}</Link>{" "}
                    {u.emailVerifiedTime ? null : <span className="badge warn">{t("unverified")}</span>}
                  </td>
                  <td data-label={t("name")}>{u.name || "—"}</td>
                  <td data-label={t("role")}>{u.role === Role.ADMIN ? <span className="badge">{t("roleAdmin")}</span> : t("roleUser")}</td>
                  <td data-label={t("created")}>{u.createTime ? exactTime(timestampDate(u.createTime), locale) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label={t("pagination")} className="row">
        {page ? <Link href={withQuery({})}>{t("firstPage")}</Link> : null}
        {nextPageToken ? <Link href={withQuery({ page: nextPageToken })}>{t("nextPage")}</Link> : null}
      </nav>
    </>
  );
}
