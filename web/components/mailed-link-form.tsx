// The page a mailed one-time link opens (email verification, email change): the link only
// opens it, and spending the token takes a click (a POST), so mail scanners that prefetch
// links cannot spend it. Without a token it says the link is incomplete.
import Link from "next/link";
import { ActionForm, type FormAction } from "./action-form";

export function MailedLinkForm(props: {
  token?: string;
  action: FormAction;
  text: { heading: string; submit: string; pending: string; formLabel: string; incomplete: string; toAccount: string };
}) {
  const { text } = props;
  return (
    <div className="narrow">
      <h1>{text.heading}</h1>
      {props.token ? (
        <ActionForm action={props.action} submit={text.submit} pendingLabel={text.pending} label={text.formLabel}>
          <input type="hidden" name="token" value={props.token} />
        </ActionForm>
      ) : (
        <p role="alert" className="alert error">
          {text.incomplete}
        </p>
      )}
      <p>
        <Link href="/account">{text.toAccount}</Link>
      </p>
    </div>
  );
}
