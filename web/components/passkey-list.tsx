"use client";
// The passkeys list's own status line: a deleted passkey's row (and the dialog that deleted it)
// leaves the page, so "Passkey deleted." is said here, for the whole list, and focus comes here
// instead of falling back to the top of the page.
import { createContext, use, useRef, useState, type ComponentProps, type ReactNode } from "react";
import { ConfirmAction } from "./confirm-action";

const Announce = createContext<(message: string) => void>(() => {});

export function PasskeyList({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<string>();
  const statusRef = useRef<HTMLParagraphElement>(null);
  const announce = (message: string) => {
    setStatus(message);
    // After the dialog has closed and the row has gone.
    setTimeout(() => statusRef.current?.focus());
  };
  return (
    <Announce value={announce}>
      {children}
      <p role="status" ref={statusRef} tabIndex={-1} className={status ? "alert success" : undefined}>
        {status}
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
