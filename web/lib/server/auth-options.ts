// next-auth v4 configuration: JWT sessions whose encrypted cookie carries the Tessera tokens.
// Credentials sign-in calls AuthService.Login/Register, passkey sign-in FinishPasskeySignIn;
// OAuth sign-in goes through the adapter (AdapterService) and then AdapterService.IssueTokens.
// Login and IssueTokens may answer an account with a second factor with a challenge instead of
// tokens: see second-factor/second-step.ts.
import "server-only";
import { localeOfHeaders } from "../../i18n/locales";
import type { NextAuthOptions, Profile } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import CredentialsProvider from "next-auth/providers/credentials";
import GoogleProvider from "next-auth/providers/google";
import { headers } from "next/headers";
import { TesseraAdapter } from "./adapter";
import { webConfig } from "./config";
import { relayHeaders, clientInfo } from "./client-info";
import { encodeCredentialsError } from "../credentials-error";
import { isUnauthenticated, userError } from "./errors";
import { refreshIfNeeded } from "./refresh";
import { returnPath } from "./return-path";
import { SESSION_MAX_AGE_SECONDS } from "./session-cookie";
import { tessera } from "./rpc";
import { backendTokens } from "./tokens";
import { holdChallenge, secondFactorProvider, signedInUser } from "./second-factor/second-step";
import { SECOND_FACTOR_DUE } from "../second-factor";


/** Why an OAuth sign-in was refused (shown on /signin?error=…). */
export const LINK_REFUSED = "LinkRefused";
/** A provider identity for an email no account uses, which the provider has not verified. */
export const EMAIL_NOT_VERIFIED = "EmailNotVerified";

interface OidcProfile extends Profile {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  picture?: string;
}

function oidcProvider(o: NonNullable<ReturnType<typeof webConfig>["oidc"]>): OAuthConfig<OidcProfile> {
  return {
    id: "oidc",
    name: o.name,
    type: "oauth",
    wellKnown: `${o.issuer}/.well-known/openid-configuration`,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state", "nonce"],
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    // Linking is decided in callbacks.signIn (both sides must have verified the email).
    allowDangerousEmailAccountLinking: true,
    profile: normalizedProfile,
  };
}

/** The user next-auth creates from an OpenID profile; `providerEmailVerified` feeds events.signIn. */
function normalizedProfile(p: OidcProfile) {
  return { id: p.sub, name: p.name ?? null, email: p.email ?? null, image: p.picture ?? null, providerEmailVerified: p.email_verified === true };
}

function providers() {
  const cfg = webConfig();
  const list: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
        name: { label: "Name", type: "text" },
        mode: { label: "Mode", type: "text" },
      },
      // Sign-up goes through here too, so a new account is signed in with the one session
      // Register opened. A thrown message reaches the form as `error` (with the input it concerns).
      async authorize(credentials, req) {
        const email = credentials?.email ?? "";
        const password = credentials?.password ?? "";
        const relay = { headers: relayHeaders(req.headers ?? {}) };
        let res;
        try {
          res =
            credentials?.mode === "register"
              ? await tessera().auth.register({ email, password, name: credentials?.name ?? "", locale: localeOfHeaders(req.headers ?? {}) }, relay)
              : await tessera().auth.login({ email, password, secondFactorCapable: true }, relay);
        } catch (err) {
          throw new Error(encodeCredentialsError(await userError(err)));
        }
        // The password was right and the account has a second factor: no session yet; the
        // sign-in page goes on to the second step.
        if ("secondFactorChallenge" in res && res.secondFactorChallenge) {
          await holdChallenge(res.secondFactorChallenge);
          throw new Error(SECOND_FACTOR_DUE);
        }
        return signedInUser(res.user, res.tokens);
      },
    }),
    secondFactorProvider(),
    // Passwordless: the browser's answer to BeginPasskeySignIn's options (a discoverable
    // passkey with user verification) is both factors, so it opens a session in one step.
    CredentialsProvider({
      id: "passkey",
      name: "Passkey",
      credentials: { responseJson: { label: "Passkey answer", type: "text" } },
      async authorize(credentials, req) {
        let res;
        try {
          res = await tessera().auth.finishPasskeySignIn({ responseJson: credentials?.responseJson ?? "" }, { headers: relayHeaders(req.headers ?? {}) });
        } catch (err) {
          throw new Error(encodeCredentialsError(await userError(err)));
        }
        return signedInUser(res.user, res.tokens);
      },
    }),
  ];
  if (cfg.google) {
    list.push(
      GoogleProvider({
        clientId: cfg.google.clientId,
        clientSecret: cfg.google.clientSecret,
        allowDangerousEmailAccountLinking: true, // decided in callbacks.signIn
        profile: normalizedProfile,
      }),
    );
  }
  if (cfg.oidc) list.push(oidcProvider(cfg.oidc));
  return list;
}

let options: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  if (options) return options;
  const cfg = webConfig();
  const adapter = TesseraAdapter(tessera().adapter);
  options = {
    secret: cfg.nextAuthSecret,
    adapter,
    providers: providers(),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    callbacks: {
      // OAuth may link to an existing account only when the provider and Tessera have both
      // verified the address; otherwise anyone who controls an unverified provider account
      // with someone's email would take their Tessera account over. Likewise a new account is
      // made from a provider identity only when the provider verified the address: else a
      // squatter could claim someone's email before they register (Auth0 and Kratos also
      // trust only a verified provider email).
      async signIn({ account, profile }) {
        if (!account || account.type !== "oauth") return true;
        const linked = await adapter.getUserByAccount!({ provider: account.provider, providerAccountId: account.providerAccountId });
        if (linked) return true;
        const email = profile?.email;
        if (!email) return `/signin?error=${LINK_REFUSED}`;
        const providerVerified = (profile as OidcProfile).email_verified === true;
        const existing = await adapter.getUserByEmail!(email);
        if (!existing) return providerVerified ? true : `/signin?error=${EMAIL_NOT_VERIFIED}`;
        return providerVerified && existing.emailVerified ? true : `/signin?error=${LINK_REFUSED}`;
      },
      // Where next-auth sends the browser after sign-in or sign-out (its callbackUrl): only a
      // path on this site, checked as the sign-in page checks it; anything else goes home.
      redirect({ url, baseUrl }) {
        return `${baseUrl}${returnPath(url, baseUrl) ?? "/"}`;
      },
      async jwt({ token, user, account }) {
        if (user && account) {
          // Just signed in: Credentials brought its tokens; OAuth gets a Tessera session now,
          // unless the account has a second factor: then the provider was only the first step,
          // and the route handler sends the browser to the second (with no session cookie).
          let tokens = user.tessera;
          if (!tokens) {
            const client = clientInfo(await headers());
            const res = await tessera().adapter.issueTokens({ userId: user.id, clientUserAgent: client.userAgent, clientIpAddress: client.ipAddress, secondFactorCapable: true });
            if (res.secondFactorChallenge) {
              await holdChallenge(res.secondFactorChallenge);
              return {};
            }
            tokens = backendTokens(res.tokens);
          }
          return { sub: user.id, name: user.name, email: user.email, picture: user.image, ...tokens };
        }
        // Throws SessionEndedError when the session is over: next-auth then clears the cookie.
        return refreshIfNeeded(token, await headers());
      },
      session({ session, token }) {
        return {
          expires: session.expires,
          user: { id: token.sub!, name: token.name ?? null, email: token.email ?? null, image: token.picture ?? null },
          accessToken: token.accessToken,
          accessExpires: token.accessExpires,
          sessionId: token.sessionId,
        };
      },
    },
    events: {
      // An email the provider verified is verified in Tessera too (createUser never assumes it).
      async signIn({ user, account, profile, isNewUser }) {
        // `profile` here is normalizedProfile's output, not the provider's raw claims.
        if (isNewUser && account?.type === "oauth" && (profile as { providerEmailVerified?: boolean } | undefined)?.providerEmailVerified) {
          await adapter.updateUser!({ id: user.id, emailVerified: new Date() });
        }
      },
      // Signing out ends the Tessera session too, not just the cookie.
      async signOut({ token }) {
        if (!token?.refreshToken) return;
        await tessera()
          .auth.logout({ refreshToken: token.refreshToken })
          .catch((err: unknown) => {
            // Already ended (revoked elsewhere, signed out everywhere): nothing left to do.
            if (!isUnauthenticated(err)) console.error("tessera web: logout at the auth service failed", err);
          });
      },
    },
  };
  return options;
}
