import { z } from "zod";

/** Where a process serves /metrics: a host and port of its own, never the public port. */
export interface MetricsListen {
  host: string;
  port: number;
}

/**
 * METRICS_ADDRESS: "host:port" ("[::1]:9464" for IPv6; port 0 picks a free one) or "off".
 * Parsed to undefined when off.
 */
export const metricsAddress = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .transform((value, ctx): MetricsListen | undefined => {
      if (value.toLowerCase() === "off") return undefined;
      const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(value);
      const port = m ? Number(m[3]) : NaN;
      if (!m || port > 65535) {
        ctx.addIssue({ code: "custom", message: 'must be host:port (e.g. 127.0.0.1:9464, [::1]:9464) or "off"' });
        return z.NEVER;
      }
      return { host: m[1] ?? m[2]!, port };
    });

/** METRICS_TOKEN: when set, /metrics requires `Authorization: Bearer <token>`. */
export const metricsToken = z.string().min(16, "must be at least 16 characters (openssl rand -base64 24)").optional();
