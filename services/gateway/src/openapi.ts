import { z } from "zod";
import { ROUTES, type Route } from "./routes.js";
import { PROBLEM_JSON } from "./errors.js";
import { ErrorBody, named } from "./schemas.js";

const REASON: Record<number, string> = {
  400: "invalid argument (field names the culprit)",
  401: "missing, invalid or expired token, or revoked session",
  403: "not allowed",
  404: "not found",
  409: "conflict (already exists, or state does not allow it)",
  413: "request body too large",
  415: "unsupported content type",
  429: "too many attempts; see Retry-After",
  500: "internal error",
  503: "the auth service is unavailable; retry later",
};

type Json = Record<string, unknown>;

/**
 * What the document reads of a schema: its `.meta()` (descriptions, formats; zod keeps them in
 * z.globalRegistry) and its entry in `named` (ids, limits), which wins. Reading `named` alone
 * dropped every `.meta()` description from the document.
 */
const metadata = {
  get(schema: z.core.$ZodType) {
    const described = z.globalRegistry.get(schema);
    const registered = named.get(schema);
    return described || registered ? { ...described, ...registered } : undefined;
  },
} as unknown as typeof named;

/** JSON Schema of a zod schema; named sub-schemas become refs into components.schemas. */
function schemaOf(schema: z.ZodType, io: "input" | "output", components: Json): Json {
  const raw = z.toJSONSchema(schema, { metadata, io, unrepresentable: "any", target: "draft-2020-12" }) as Json;
  const text = JSON.stringify(raw).replaceAll('"#/$defs/', '"#/components/schemas/');
  const out = JSON.parse(text) as Json;
  const defs = (out.$defs ?? {}) as Json;
  for (const [id, def] of Object.entries(defs)) components[id] = def;
  delete out.$defs;
  delete out.$schema;
  return out;
}

/** Path template → parameter names ("/users/{id}" → ["id"]). */
const pathParams = (path: string) => [...path.matchAll(/\{([A-Za-z]+)\}/g)].map((m) => m[1]!);

/** The OpenAPI 3.1 document of the route table. */
export function openApiDocument(routes: Route[] = ROUTES, serverUrl?: string): Json {
  const components: Json = {};
  const paths: Record<string, Json> = {};
  const error = schemaOf(ErrorBody, "output", components);
  for (const r of routes) {
    const op: Json = {
      operationId: r.operationId,
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: [r.tag],
      security: r.auth === "bearer" ? [{ bearer: [] }] : r.auth === "refresh" ? [{ refresh: [] }] : [],
    };
    const parameters: Json[] = pathParams(r.path).map((name) => ({ name, in: "path", required: true, schema: { type: "string", maxLength: 64 } }));
    if (r.query) {
      const q = schemaOf(r.query, "input", components) as { properties?: Json; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {}))
        parameters.push({ name, in: "query", required: q.required?.includes(name) ?? false, schema });
    }
    if (parameters.length > 0) op.parameters = parameters;
    if (r.body) op.requestBody = { required: false, content: { "application/json": { schema: schemaOf(r.body, "input", components) } } };
    if (r.multipart) {
      op.requestBody = {
        required: true,
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              required: [r.multipart.field],
              properties: { [r.multipart.field]: { type: "string", contentMediaType: "application/octet-stream", description: r.multipart.description } },
            },
          },
        },
      };
    }
    const responses: Json = {
      [String(r.response.status)]: {
        description: r.response.description,
        ...(r.response.schema ? { content: { "application/json": { schema: schemaOf(r.response.schema, "output", components) } } } : {}),
      },
    };
    // Any route may refuse an oversized body (413), even one it ignores.
    const errorStatuses = [...new Set([...r.errors, ...(r.auth === "none" ? [] : [401]), 413, 500, ...(r.tag === "meta" ? [] : [503])])].sort();
    for (const status of errorStatuses) {
      responses[String(status)] = {
        description: REASON[status] ?? "error",
        ...(status === 429 ? { headers: { "Retry-After": { schema: { type: "integer" }, description: "seconds to wait" } } } : {}),
        content: { [PROBLEM_JSON]: { schema: error } },
      };
    }
    op.responses = responses;
    (paths[r.path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Tessera REST gateway",
      version: "1.0.0",
      description:
        "REST edge of the Tessera auth service. Errors are RFC 9457 problem details (application/problem+json) with the extension members code (the Connect code in snake_case), reason (stable, to branch on), message and field; see the Error schema. A known path with a method it does not have answers 405 with Allow. Responses carry x-request-id.",
      license: { name: "UNLICENSED" },
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    tags: [
      { name: "auth", description: "sign-up, sign-in, tokens, email verification, password reset" },
      { name: "users", description: "the caller's account and sessions; admin listings" },
      { name: "meta", description: "keys, health, this document" },
    ],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "access token from login, register or refresh" },
        refresh: {
          type: "apiKey",
          in: "header",
          name: "Authorization",
          description: "`Authorization: Refresh <refreshToken>` — the refresh token from login, register or refresh",
        },
      },
    },
  };
}
