// Stand-in until k13/web's recovery-codes component is merged (its version wins the merge).
export function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <ol className="recovery-codes">
      {codes.map((c) => (
        <li key={c}>
          <code>{c}</code>
        </li>
      ))}
    </ol>
  );
}
