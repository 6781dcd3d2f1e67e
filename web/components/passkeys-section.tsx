// The security page's passkeys (section id="passkeys"). A placeholder that renders nothing
// until the passkey UI replaces it; the page already passes what that UI needs.
export interface PasskeysSectionProps {
  /** The account has a password (BeginPasskeyRegistration asks for it then). */
  hasPassword: boolean;
  /** GetSecondFactorsResponse.passkey_count. */
  passkeyCount: number;
  /** Any second factor (authenticator or passkey) is on: deleting a passkey needs a step-up code. */
  hasSecondFactor: boolean;
}

export function PasskeysSection(_: PasskeysSectionProps) {
  return null;
}
