"use client";
// Signing out here, or everywhere (after a confirmation saying what it does).
import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import type { ActionState } from "../../components/action-form";
import { ConfirmAction } from "../../components/confirm-action";

export function SignOutButtons({ signOutEverywhere }: { signOutEverywhere: () => Promise<ActionState> }) {
  const t = useTranslations("signOut");
  return (
    <section aria-label={t("label")} className="row">
      <button type="button" className="button secondary" onClick={() => void signOut({ callbackUrl: "/signin" })}>
        {t("here")}
      </button>
      <ConfirmAction
        action={async () => {
          const res = await signOutEverywhere();
          if (res?.error) return res;
          await signOut({ callbackUrl: "/signin" });
          return res;
        }}
        trigger={t("everywhere")}
        title={t("everywhereTitle")}
        confirm={t("everywhere")}
        cancel={t("cancel")}
        danger
      >
        <p>{t("everywhereBody")}</p>
      </ConfirmAction>
    </section>
  );
}
