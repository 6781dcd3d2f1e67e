/** Helpers of the route table's entries (routes.ts and the files it gathers routes from). */
import { toJson, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import type { Route, RouteResult } from "./routes.js";

/** A typed route entry, stored in the table as a plain Route. */
export const route = <B = unknown, Q = unknown>(r: Route<B, Q>): Route => r as unknown as Route;

/** Proto JSON as REST bodies carry it: camelCase, implicit defaults emitted so shapes are stable. */
export function json<D extends DescMessage>(schema: D, message: MessageShape<D>): unknown {
  return toJson(schema, message, { alwaysEmitImplicit: true });
}

export const ok = (body: unknown, status = 200): RouteResult => ({ status, body });
export const noContent: RouteResult = { status: 204 };
