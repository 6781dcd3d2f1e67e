/**
 * The mode every service runs in, from TESSERA_ENV. It fails closed: unset means production, so
 * a deployment that forgets it refuses the development secrets and serves no development
 * mailbox, as Keycloak's `kc.sh start` is strict and only `start-dev` is lax, by name. NODE_ENV,
 * which build tools and hosts set for their own reasons, no longer decides it; `npm start` asks
 * for development explicitly.
 */
export const MODES = ["development", "test", "production"] as const;

/** development | test | production. */
export type Mode = (typeof MODES)[number];

/** The schema default of TESSERA_ENV. */
export const DEFAULT_MODE: Mode = "production";
