"use client";
// Recovery codes, shown the one time the auth service hands them out (after turning on a
// second factor or asking for new ones): a list to read, a Copy button and a .txt download.
// The codes live only in this component's state: a reload does not show them again.
import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";

export function RecoveryCodes({ codes, product }: { codes: string[]; product: string }) {
  const t = useTranslations("recoveryCodes");
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [status, setStatus] = useState<string>();
  // They just appeared after a form was submitted: bring the person (and the screen reader) to them.
  useEffect(() => heading.current?.focus(), []);
  const text = `${t("fileHeader", { product })}\n\n${codes.join("\n")}\n`;

  async function copy() {
    try {
      await navigator.clipboard.writeText(codes.join("\n"));
      setStatus(t("copied"));
    } catch {
      setStatus(t("copyFailed"));
    }
  }

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `${product.toLowerCase().replace(/[^a-z0-9]+/g, "-") || "account"}-recovery-codes.txt`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  return (
    <section aria-labelledby={headingId} className="alert info recovery-codes" data-recovery-codes>
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        {t("heading")}
      </h3>
      <p>{t("once")}</p>
      <ul aria-label={t("listLabel")} className="code-list">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <div className="row">
        <button type="button" className="button secondary" onClick={() => void copy()}>
          {t("copy")}
        </button>
        <button type="button" className="button secondary" onClick={download}>
          {t("download")}
        </button>
      </div>
      <p role="status" className="muted">
        {status}
      </p>
    </section>
  );
}
