"use client";
import { signOut } from "next-auth/react";
import { useState } from "react";
import type { ActionState } from "../../components/action-form";

export function SignOutButtons({ signOutEverywhere }: { signOutEverywhere: () => Promise<ActionState> }) {
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
    <section aria-label="Sign out" className="row">
      <button type="button" onClick={() => void signOut({ callbackUrl: "/signin" })}>
        Sign out
      </button>
      <button type="button" onClick={() => void everywhere()} disabled={pending}>
        Sign out everywhere
      </button>
      {error ? (
        <p role="alert" className="alert error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
