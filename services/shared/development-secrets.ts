/**
 * The service credential that ships in the repository for local use. The auth service, the
 * gateway and the web app all default to it outside production and all refuse it in production.
 */
export const DEVELOPMENT_SERVICE_CREDENTIAL = "development-service-credential-do-not-use-in-production";
