import { z } from "zod";

/**
 * Why `entry` is not an exact browser origin, or undefined if it is one: an http(s) URL that is
 * its own origin, a trailing slash allowed; no wildcard, path, query, fragment or user info.
 * Origins are not secret, so the message quotes the entry.
 */
export function originProblem(entry: string): string | undefined {
  const quoted = JSON.stringify(entry);
  if (entry.includes("*")) return `${quoted}: wildcards are not allowed; list each exact origin (e.g. https://app.example.com)`;
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return `${quoted} is not a URL; expected an origin such as https://app.example.com`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `${quoted}: an origin must be http or https`;
  if (url.origin !== entry.replace(/\/+$/, ""))
    return `${quoted} is not an origin: expected scheme://host[:port] only, as a browser sends it (did you mean ${url.origin}?)`;
  return undefined;
}

/** A comma-separated list of exact origins (a CORS allowlist), each checked by originProblem and normalised. */
export const originList = z
  .string()
  .transform((s) => s.split(",").map((v) => v.trim()).filter(Boolean))
  .superRefine((entries, ctx) => {
    for (const entry of entries) {
      const problem = originProblem(entry);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }
  })
  .transform((entries) => entries.map((o) => new URL(o).origin));
