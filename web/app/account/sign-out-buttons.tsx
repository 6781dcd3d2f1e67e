"use client";
import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { ActionState } from "../../components/action-form";

export function SignOutButtons({ signOutEverywhere }: { signOutEverywhere: () => Promise<ActionState> }) {
  const t = useTranslations("signOut");
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  async function everywhere() {
    setPending(true);
    const res = await signOutEverywhere();
    if (res?.error) {
      setPending(false);
      setError(res.error);
      return;
    }
    await signOut({ callbackUrl: "/signin" });
  }
  return (
    <section aria-label={t("label")} className="row">
      <button type="button" className="button secondary" onClick={() => void signOut({ callbackUrl: "/signin" })}>
        {t("signOut")}
      </button>
      <button type="button" className="button danger" onClick={() => void everywhere()} disabled={pending}>
        {t("everywhere")}
      </button>
      {error ? (
        <p role="alert" className="alert error" tabIndex={-1}>
          {error}
        </p>
      ) : null}
    </section>
  );
}
