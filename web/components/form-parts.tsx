// Pieces every form shares: the outcome announced to screen readers, the submit button that
// says it is working, and the new-password pair.

export function FormOutcome({ error, ok }: { error?: string; ok?: string }) {
  return (
    <>
      {error ? (
        <p role="alert" className="alert error">
          {error}
        </p>
      ) : null}
      {ok ? (
        <p role="status" className="alert info">
          {ok}
        </p>
      ) : null}
    </>
  );
}

export function SubmitButton({ pending, label, pendingLabel }: { pending: boolean; label: string; pendingLabel?: string }) {
  return (
    <div>
      <button type="submit" className="primary" disabled={pending}>
        {pending ? (pendingLabel ?? "Working…") : label}
      </button>
    </div>
  );
}

/** "New password" and "Confirm new password"; the server action compares them. */
export function NewPasswordFields({ name }: { name: string }) {
  return (
    <>
      <label>
        New password
        <input name={name} type="password" autoComplete="new-password" required minLength={8} />
      </label>
      <label>
        Confirm new password
        <input name="confirm" type="password" autoComplete="new-password" required />
      </label>
    </>
  );
}
