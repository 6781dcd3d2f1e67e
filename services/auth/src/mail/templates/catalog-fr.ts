import type { MessageKey } from "./catalog-en.js";

/**
 * Every string of every mail, in French (same keys and placeholders as catalog-en.ts). French
 * typography: a no-break space (U+00A0) before « : », which keeps the colon on its word's line.
 */
export const fr: Record<MessageKey, string> = {
  "layout.greeting": "Bonjour {name},",
  "layout.greetingNoName": "Bonjour,",
  "layout.buttonFallback": "Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur\u00a0:",
  "layout.automatic": "Ce message a été envoyé automatiquement\u00a0; les réponses ne sont pas lues.",
  "footer.account": "Vous recevez ce message parce que cette adresse appartient à un compte {product}.",
  "footer.signUp": "Vous recevez ce message parce que cette adresse a été indiquée pour un compte {product}.",
  "footer.formerAddress": "Vous recevez ce message parce que cette adresse était, jusqu'à présent, celle d'un compte {product}.",
  "footer.newAddress": "Vous recevez ce message parce que cette adresse a été saisie comme nouvelle adresse d'un compte {product}.",
  "footer.addressTaken": "Vous recevez ce message parce que cette adresse appartient à un compte {product} et que quelqu'un l'a saisie sur {product}.",

  "details.device": "Appareil\u00a0: {device}",
  "details.ip": "Adresse IP\u00a0: {ip}",
  "details.time": "Date\u00a0: {time}",
  "details.unknownDevice": "un appareil inconnu",
  "details.unknownIp": "inconnue",
  "security.ifNotYou": "Si ce n'était pas vous, réinitialisez votre mot de passe maintenant\u00a0: la réinitialisation déconnecte tous les appareils.",
  "security.resetButton": "Réinitialiser votre mot de passe",
  "security.ignoreIfYou": "Si c'était vous, vous n'avez rien à faire.",

  "verification.subject": "Confirmez votre adresse e-mail",
  "verification.intro": "Merci de confirmer que cette adresse appartient à votre compte {product}.",
  "verification.button": "Confirmer votre adresse e-mail",
  "verification.note": "Le lien fonctionne une seule fois, pendant 24 heures. Si vous n'avez pas créé de compte {product}, ignorez ce message.",

  "reset.subject": "Réinitialisez votre mot de passe {product}",
  "reset.intro": "Quelqu'un, vous sans doute, a demandé à réinitialiser le mot de passe du compte {product} qui utilise cette adresse.",
  "reset.button": "Choisir un nouveau mot de passe",
  "reset.note": "Le lien fonctionne une seule fois, pendant une heure. La réinitialisation déconnecte tous les appareils. Si vous n'avez rien demandé, ignorez ce message\u00a0: votre mot de passe reste inchangé.",

  "newSignIn.subject": "Nouvelle connexion à votre compte {product}",
  "newSignIn.intro": "Quelqu'un vient de se connecter à votre compte {product} depuis un appareil qu'il n'a pas utilisé récemment.",

  "passwordChanged.subject": "Votre mot de passe {product} a été modifié",
  "passwordChanged.intro": "Le mot de passe de votre compte {product} a été modifié, et ses autres appareils ont été déconnectés.",

  // A recovery code was used (AuthService.CompleteSignIn or a step-up).
  "recoveryCodeUsed.subject": "Un code de récupération de votre compte {product} a été utilisé",
  "recoveryCodeUsed.intro": "L'un des codes de récupération de votre compte {product} vient d'être utilisé. Il reste {remaining} codes inutilisés.",

  // UserService.RemoveSecondFactors, by an admin.
  "secondFactorsRemoved.subject": "La connexion en deux étapes a été désactivée sur votre compte {product}",
  "secondFactorsRemoved.intro": "Un administrateur a supprimé l'application d'authentification, les clés d'accès et les codes de récupération de votre compte {product} : la connexion ne demande plus que votre mot de passe. Vous pouvez les configurer à nouveau depuis la page de votre compte.",

  "authenticatorEnabled.subject": "Une application d'authentification a été activée sur votre compte {product}",
  "authenticatorEnabled.intro": "Une application d'authentification a été configurée pour votre compte {product}\u00a0: la connexion par mot de passe demande désormais aussi l'un de ses codes.",

  "authenticatorDisabled.subject": "L'application d'authentification de votre compte {product} a été désactivée",
  "authenticatorDisabled.intro": "L'application d'authentification de votre compte {product} a été désactivée\u00a0: ses codes ne fonctionnent plus.",

  "passkeyAdded.subject": "Une clé d'accès a été ajoutée à votre compte {product}",
  "passkeyAdded.intro": "Une nouvelle clé d'accès a été ajoutée à votre compte {product}. Elle permet de s'y connecter sans mot de passe.",

  "passkeyRemoved.subject": "Une clé d'accès a été supprimée de votre compte {product}",
  "passkeyRemoved.intro": "Une clé d'accès a été supprimée de votre compte {product}\u00a0: elle ne permet plus de s'y connecter.",

  "signedOut.subject": "Vous avez été déconnecté partout sur {product}",
  "signedOut.intro": "Votre compte {product} a été déconnecté partout\u00a0: {sessions}.",
  "signedOut.sessions.one": "1 session terminée",
  "signedOut.sessions.other": "{count} sessions terminées",

  "emailChanged.subject": "L'adresse e-mail de votre compte {product} a été modifiée",
  "emailChanged.intro": "L'adresse e-mail de votre compte {product} est passée de cette adresse à {newAddress}. Les messages concernant le compte y sont désormais envoyés.",
  "emailChanged.ifNotYou": "Si ce n'était pas vous, connectez-vous maintenant, rétablissez l'adresse et changez votre mot de passe.",
  "emailChanged.button": "Ouvrir votre compte",

  "emailChange.subject": "Confirmez votre nouvelle adresse e-mail",
  "emailChange.intro": "Quelqu'un, vous sans doute, a demandé à transférer un compte {product} vers cette adresse. Confirmez-la pour qu'elle devienne l'adresse du compte.",
  "emailChange.button": "Confirmer votre nouvelle adresse e-mail",
  "emailChange.note": "Le lien fonctionne une seule fois, pendant 24 heures. Si vous n'avez rien demandé, ignorez ce message\u00a0: le compte garde son adresse actuelle.",

  "emailTaken.subject": "Quelqu'un a tenté d'utiliser cette adresse pour un autre compte {product}",
  "emailTaken.intro": "Quelqu'un a demandé à transférer un compte {product} vers cette adresse, mais un compte {product} l'utilise déjà, sans doute le vôtre. Rien n'a été modifié.",
  "emailTaken.ifYou": "Si c'était vous, connectez-vous plutôt avec cette adresse.",
  "emailTaken.button": "Se connecter",
  "emailTaken.note": "Si ce n'était pas vous, vous n'avez rien à faire\u00a0: aucun autre compte ne peut prendre cette adresse.",
};
