// The web app's server-side configuration, read once from the environment. Nothing here is
// ever sent to the browser: only `publicAuthUrl` is handed to client components, explicitly.
import "server-only";
import { loadWebConfig, type WebConfig } from "./web-config";

export { DEVELOPMENT_SERVICE_CREDENTIAL, loadWebConfig, type WebConfig } from "./web-config";

let cached: WebConfig | undefined;
/** The process's configuration (validated on first use, and by next.config.ts at start). */
export function webConfig(): WebConfig {
  return (cached ??= loadWebConfig());
}
