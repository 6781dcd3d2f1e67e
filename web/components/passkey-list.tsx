"use client";
// The passkeys list's own status line: a deleted passkey's row (and the dialog that deleted it)
// leaves the page, so "Passkey deleted." is said here, for the whole list, and focus comes here
// instead of falling back to the top of the page.
import { createContext, use, useCallback, useEffect, useRef, useState, type ComponentProps, type ReactNode } from "react";
import { ConfirmAction } from "./confirm-action";

const Announce = createContext<(message: string) => void>(() => {});

export function PasskeyList({ children }: { children: ReactNode }) {
  // A new object per announcement, so the same message twice is said twice.
  const [status, setStatus] = useState<{ message: string }>();
  const statusRef = useRef<HTMLParagraphElement>(null);
  const focusPending = useRef(false);
  const announce = useCallback((message: string) => {
    setStatus({ message });
    focusPending.current = true;
    // Only for this deletion: a later refresh must not pull focus here.
    setTimeout(() => (focusPending.current = false), 3000);
  }, []);
  // The row goes with the page's refreshed list (`children`), which may come a render after
  // the answer: once focus has fallen to the page's body, it comes here.
  useEffect(() => {
    if (!focusPending.current) return;
    const active = document.activeElement;
    // Not while the deleting dialog is still open (it makes the page behind it inert), nor
    // while focus is still somewhere.
    if ((active && active !== document.body) || document.querySelector("dialog[open]")) return;
    focusPending.current = false;
    statusRef.current?.focus();
  }, [status, children]);
  return (
    <Announce value={announce}>
      {children}
      <p role="status" ref={statusRef} tabIndex={-1} className={status ? "alert success" : undefined}>
        {status?.message}
      </p>
    </Announce>
  );
}

/** ConfirmAction whose success is said by the list (the row it belongs to disappears). */
export function ListedConfirmAction({ action, ...props }: ComponentProps<typeof ConfirmAction>) {
  const announce = use(Announce);
  return (
    <ConfirmAction
      {...props}
      action={async (state, form) => {
        const res = await action(state, form);
        if (res?.ok) announce(res.ok);
        return res;
      }}
    />
  );
}
