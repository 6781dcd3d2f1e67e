/**
 * The error reasons agree everywhere they are written: the registry (kernel/reasons.ts), the
 * list in error_detail.proto, each rpc's `(tessera.errors.v1.reasons)` option and its
 * "Errors:" comment, and the reasons the code throws; the google.rpc.ErrorInfo domain is the
 * documented one. And the boundary refuses, in test mode, a reason the called rpc does not declare.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { getOption, type DescService } from "@bufbuild/protobuf";
import { Code, createClient, createRouterTransport } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { AdapterService } from "../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { AuthService } from "../../../gen/tessera/auth/v1/auth_service_pb.js";
import { reasons } from "../../../gen/tessera/errors/v1/reasons_pb.js";
import { UserService } from "../../../gen/tessera/user/v1/user_service_pb.js";
import { Health } from "../../../gen/health/v1/health_pb.js";
import { DomainError, invalidArgument } from "../src/kernel/errors.js";
import { ANY_RPC_REASONS, ERROR_DOMAIN, REASONS, isReason, type Reason } from "../src/kernel/reasons.js";
import { observe } from "../src/server/interceptors.js";
import { memoryLogger } from "./harness.js";
import { failure } from "./rpc-failure.js";
import { sourceFiles } from "./import-graph.js";
import { errorsParagraph, leadingComment, listedReasons, protoFiles, rpcComments, serviceNames } from "./proto-docs.js";

const PROTO = fileURLToPath(new URL("../../../proto", import.meta.url));
const SRC = fileURLToPath(new URL("../src", import.meta.url));
const SERVICES: DescService[] = [AuthService, UserService, AdapterService];
/** The folder of rpc/ holding each service's handlers, one file per method. */
const HANDLER_FOLDER: Record<string, DescService> = { auth: AuthService, user: UserService, adapter: AdapterService };

const protos = protoFiles(PROTO);
const codeOf = (reason: Reason) => REASONS[reason].kind.toUpperCase();
const errorDetailComment = () => leadingComment(protos.find((p) => p.path === "tessera/errors/v1/error_detail.proto")!.text, /^message ErrorDetail \{/);
const declaredBy = (service: DescService) => new Map(service.methods.map((m) => [m.name, getOption(m, reasons)]));

/**
 * The reason literals a source file throws: `new DomainError("…"`, `throttled("…"`, a
 * throttling rule's `reason: "…"` (throttle/rules.ts), and request.invalid_argument for the
 * helpers that build it.
 */
function thrownReasons(file: string): string[] {
  const text = readFileSync(`${SRC}/${file}`, "utf8");
  const patterns = [/new DomainError\(\s*"([^"]+)"/g, /\bthrottled\(\s*"([^"]+)"/g, ...(file === "throttle/rules.ts" ? [/\breason: "([^"]+)"/g] : [])];
  const literals = patterns.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]!));
  return /\b(invalidArgument|requireString)\(/.test(text) ? [...literals, "request.invalid_argument"] : literals;
}

describe("the reason registry and error_detail.proto", () => {
  it("error_detail.proto lists every reason of the registry, with its code and meaning, and no other", () => {
    const listed = listedReasons(errorDetailComment());
    const expected = Object.entries(REASONS).map(([reason, e]) => ({ code: e.kind.toUpperCase(), reason, text: e.meaning }));
    expect(listed, "the list in ErrorDetail's comment, wrapped at 100 columns").toEqual(expected);
  });

  it("error_detail.proto names the google.rpc.ErrorInfo domain the service sends", () => {
    expect(errorDetailComment().join(" ")).toContain(`\`domain\` is "${ERROR_DOMAIN}"`);
  });

  it("documents every reason on some rpc, unless any rpc can give it", () => {
    const declared = new Set(SERVICES.flatMap((s) => s.methods.flatMap((m) => getOption(m, reasons))));
    expect(Object.keys(REASONS).filter((r) => !declared.has(r) && !(ANY_RPC_REASONS as string[]).includes(r))).toEqual([]);
  });
});

describe("each rpc's reasons", () => {
  it("are checked for every service of the contract", () => {
    const declared = protos.flatMap((p) => serviceNames(p.text)).filter((name) => name.startsWith("tessera."));
    expect(declared.sort()).toEqual(SERVICES.map((s) => s.typeName).sort());
  });

  it.each(SERVICES.map((s) => [s.typeName, s] as const))("%s: options name registry reasons, once each, not those any rpc can give", (_name, service) => {
    const problems = [...declaredBy(service)].flatMap(([method, declared]) => [
      ...declared.filter((r) => !isReason(r)).map((r) => `${method}: ${r} is not in the registry`),
      ...declared.filter((r) => (ANY_RPC_REASONS as string[]).includes(r)).map((r) => `${method}: ${r} is given by any rpc; do not declare it`),
      ...declared.filter((r, i) => declared.indexOf(r) !== i).map((r) => `${method}: ${r} is declared twice`),
    ]);
    expect(problems).toEqual([]);
  });

  it.each(SERVICES.map((s) => [s.typeName, s] as const))("%s: the comment's \"Errors:\" list names the option's reasons with their codes", (name, service) => {
    const comments = protos.flatMap((p) => rpcComments(p.text)).filter((c) => c.service === name);
    expect(comments.map((c) => c.method).sort()).toEqual(service.methods.map((m) => m.name).sort());
    const declared = declaredBy(service);
    for (const comment of comments) {
      const listed = errorsParagraph(comment.lines);
      const option = declared.get(comment.method)!;
      expect(listed.map((e) => e.reason).sort(), `${comment.method}: "Errors:" against its option`).toEqual([...option].sort());
      const wrongCodes = listed.filter((e) => isReason(e.reason) && e.code !== codeOf(e.reason)).map((e) => `${e.code} ${e.reason}`);
      expect(wrongCodes, `${comment.method}: codes that are not the registry's`).toEqual([]);
    }
  });
});

describe("the reasons the code throws", () => {
  const thrown = sourceFiles(SRC).flatMap((file) => thrownReasons(file).map((reason) => ({ file, reason })));

  it("are all in the registry", () => {
    expect(thrown.length).toBeGreaterThan(30);
    expect(thrown.filter((t) => !isReason(t.reason))).toEqual([]);
  });

  it("include every reason of the registry", () => {
    const seen = new Set(thrown.map((t) => t.reason));
    expect(Object.keys(REASONS).filter((r) => !seen.has(r))).toEqual([]);
  });

  it("are declared by the rpc whose handler file throws them", () => {
    const problems: string[] = [];
    let handlers = 0;
    for (const file of sourceFiles(SRC)) {
      const match = /^rpc\/(\w+)\/([a-z-]+)\.ts$/.exec(file);
      const service = match && HANDLER_FOLDER[match[1]!];
      const method = service?.methods.find((m) => m.name === pascal(match![2]!));
      if (!method) continue;
      handlers++;
      const declared = new Set([...ANY_RPC_REASONS, ...getOption(method, reasons)]);
      for (const reason of thrownReasons(file)) if (!declared.has(reason)) problems.push(`${file} throws ${reason}, not declared by ${method.name}`);
    }
    expect(handlers).toBe(SERVICES.reduce((n, s) => n + s.methods.length, 0));
    expect(problems).toEqual([]);
  });
});

describe("the boundary (observe) and a reason the rpc does not declare", () => {
  /** A client of AuthService and Health whose handlers throw `err`, behind observe(). */
  function throwing(err: unknown, failUndeclaredReasons: boolean) {
    const { logger, lines } = memoryLogger();
    const transport = createRouterTransport(
      (router) => {
        router.rpc(AuthService.method.getJwks, () => Promise.reject(err));
        router.rpc(AuthService.method.register, () => Promise.reject(err));
        router.rpc(Health.method.check, () => Promise.reject(err));
      },
      { router: { interceptors: [observe(logger, { failUndeclaredReasons })] } },
    );
    const logged = () => lines.map((l) => JSON.parse(l) as { level: number; msg: string; reason?: string });
    return { auth: createClient(AuthService, transport), health: createClient(Health, transport), logged };
  }
  const UNDECLARED = "rpc answered a reason its contract does not declare";

  it("answers INTERNAL in test mode, naming the reason and the rpc, and logs an error", async () => {
    const { auth, logged } = throwing(new DomainError("user.not_found"), true);
    const answer = await failure(auth.getJwks({}));
    expect(answer.code).toBe(Code.Internal);
    expect(answer.reason).toBe("server.internal");
    expect(answer.message).toContain("tessera.auth.v1.AuthService/GetJwks answered reason user.not_found");
    expect(logged()).toContainEqual(expect.objectContaining({ level: 50, msg: UNDECLARED, reason: "user.not_found" }));
  });

  it("passes the error through unchanged otherwise, and still logs an error", async () => {
    const { auth, logged } = throwing(new DomainError("user.not_found"), false);
    expect(await failure(auth.getJwks({}))).toMatchObject({ code: Code.NotFound, reason: "user.not_found" });
    expect(logged()).toContainEqual(expect.objectContaining({ level: 50, msg: UNDECLARED, reason: "user.not_found" }));
  });

  it("lets declared reasons, those any rpc can give, and other contracts' errors through", async () => {
    const declared = throwing(new DomainError("user.already_exists"), true);
    expect(await failure(declared.auth.register({}))).toMatchObject({ code: Code.AlreadyExists, reason: "user.already_exists" });
    const anyRpc = throwing(new DomainError("server.database_unavailable"), true);
    expect(await failure(anyRpc.auth.getJwks({}))).toMatchObject({ code: Code.Unavailable, reason: "server.database_unavailable" });
    const health = throwing(invalidArgument("service", "must not contain NUL characters"), true);
    expect(await failure(health.health.check({}))).toMatchObject({ code: Code.InvalidArgument, reason: "request.invalid_argument" });
    for (const t of [declared, anyRpc, health]) expect(t.logged().filter((l) => l.msg === UNDECLARED)).toEqual([]);
  });
});

function pascal(kebab: string): string {
  return kebab.replace(/(^|-)([a-z])/g, (_m, _dash, c: string) => c.toUpperCase());
}
