/**
 * Every string of every mail, in English: the reference catalog, whose keys every other
 * language must have (catalog-fr.ts is typed against it, and catalog.test.ts checks keys and
 * placeholders at run time). Values are plain text, never markup: the layout escapes them for
 * HTML. `{name}` is a placeholder filled by the mail that uses the string; `{product}` is
 * always available (PRODUCT_NAME).
 */
export const en = {
  // Layout, shared by every mail.
  "layout.greeting": "Hello {name},",
  "layout.greetingNoName": "Hello,",
  "layout.buttonFallback": "If the button does not work, copy this link into your browser:",
  "layout.automatic": "This mail was sent automatically; replies are not read.",
  "footer.account": "You received this mail because this address belongs to a {product} account.",
  "footer.signUp": "You received this mail because this address was given for a {product} account.",
  "footer.formerAddress": "You received this mail because this address was, until now, the address of a {product} account.",
  "footer.newAddress": "You received this mail because this address was entered as the new address of a {product} account.",
  "footer.addressTaken": "You received this mail because this address belongs to a {product} account and someone entered it on {product}.",

  // Where and when a security event happened.
  "details.device": "Device: {device}",
  "details.ip": "IP address: {ip}",
  "details.time": "Time: {time}",
  "details.unknownDevice": "an unknown device",
  "details.unknownIp": "unknown",
  "security.ifNotYou": "If this wasn't you, reset your password now: resetting signs out every device.",
  "security.resetButton": "Reset your password",
  "security.ignoreIfYou": "If this was you, there is nothing to do.",

  // AuthService.Register, RequestEmailVerification.
  "verification.subject": "Confirm your email address",
  "verification.intro": "Please confirm that this address belongs to your {product} account.",
  "verification.button": "Confirm your email address",
  "verification.note": "The link works once, for 24 hours. If you did not create a {product} account, ignore this mail.",

  // AuthService.RequestPasswordReset.
  "reset.subject": "Reset your {product} password",
  "reset.intro": "Someone, hopefully you, asked to reset the password of the {product} account that uses this address.",
  "reset.button": "Choose a new password",
  "reset.note": "The link works once, for one hour. Resetting signs out every device. If you did not ask for this, ignore this mail: your password stays as it is.",

  // A sign-in from a device the account has not used lately.
  "newSignIn.subject": "New sign-in to your {product} account",
  "newSignIn.intro": "Your {product} account was just signed in to from a device it has not used recently.",

  // UserService.ChangePassword, AuthService.ResetPassword.
  "passwordChanged.subject": "Your {product} password was changed",
  "passwordChanged.intro": "The password of your {product} account was changed, and its other devices were signed out.",

  // A recovery code was used (AuthService.CompleteSignIn or a step-up).
  "recoveryCodeUsed.subject": "A recovery code was used on your {product} account",
  "recoveryCodeUsed.intro": "One of the recovery codes of your {product} account was just used. {remaining} unused codes are left.",

  // UserService.RemoveSecondFactors, by an admin.
  "secondFactorsRemoved.subject": "Two-step sign-in was turned off on your {product} account",
  "secondFactorsRemoved.intro": "An administrator removed the authenticator app, passkeys and recovery codes of your {product} account: signing in now needs only your password. You can set them up again from your account page.",

  // UserService.ConfirmTotpEnrollment.
  "authenticatorEnabled.subject": "An authenticator app was turned on for your {product} account",
  "authenticatorEnabled.intro": "An authenticator app was set up for your {product} account: signing in with your password now also asks for one of its codes.",

  // UserService.DisableTotp, by the user.
  "authenticatorDisabled.subject": "The authenticator app was turned off on your {product} account",
  "authenticatorDisabled.intro": "The authenticator app of your {product} account was turned off: its codes no longer work.",

  // UserService.FinishPasskeyRegistration.
  "passkeyAdded.subject": "A passkey was added to your {product} account",
  "passkeyAdded.intro": "A new passkey was added to your {product} account. It can sign in to the account without a password.",

  // UserService.DeletePasskey.
  "passkeyRemoved.subject": "A passkey was removed from your {product} account",
  "passkeyRemoved.intro": "A passkey was removed from your {product} account: it can no longer sign in.",

  // UserService.RevokeAllSessions.
  "signedOut.subject": "You were signed out everywhere on {product}",
  "signedOut.intro": "Your {product} account was signed out everywhere: {sessions} ended.",
  "signedOut.sessions.one": "1 session",
  "signedOut.sessions.other": "{count} sessions",

  // AuthService.ConfirmEmailChange, to the old address.
  "emailChanged.subject": "The email address of your {product} account was changed",
  "emailChanged.intro": "The email address of your {product} account was changed from this address to {newAddress}. Mail about the account now goes there.",
  "emailChanged.ifNotYou": "If this wasn't you, sign in now, change the address back and change your password.",
  "emailChanged.button": "Open your account",

  // UserService.RequestEmailChange, to the new address.
  "emailChange.subject": "Confirm your new email address",
  "emailChange.intro": "Someone, hopefully you, asked to move a {product} account to this address. Confirm it to make this the account's address.",
  "emailChange.button": "Confirm your new email address",
  "emailChange.note": "The link works once, for 24 hours. If you did not ask for this, ignore this mail: the account keeps its current address.",

  // UserService.RequestEmailChange, when the new address already has an account.
  "emailTaken.subject": "Someone tried to use this address for another {product} account",
  "emailTaken.intro": "Someone asked to move a {product} account to this address, but a {product} account already uses it, most likely yours. Nothing was changed.",
  "emailTaken.ifYou": "If this was you, sign in with this address instead.",
  "emailTaken.button": "Sign in",
  "emailTaken.note": "If this wasn't you, there is nothing to do: no other account can take this address.",
} as const;

/** A key of the mail catalogs. */
export type MessageKey = keyof typeof en;
