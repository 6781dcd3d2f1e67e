/**
 * gRPC server reflection (grpc.reflection.v1 and v1alpha) for a Connect-Node
 * router, so buf curl / grpcurl can call the server without local protos.
 *
 * @see https://github.com/grpc/grpc/blob/master/doc/server-reflection.md
 */
import type { DescEnum, DescExtension, DescFile, DescMessage, DescService } from "@bufbuild/protobuf";
import { toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, type ConnectRouter } from "@connectrpc/connect";
import { Health } from "../../../../gen/health/v1/health_pb.js";
import { ServerReflection as ReflectionV1 } from "../../../../gen/grpc/reflection/v1/reflection_pb.js";
import { ServerReflection as ReflectionV1Alpha } from "../../../../gen/grpc/reflection/v1alpha/reflection_pb.js";

/** The request oneof, identical in v1 and v1alpha apart from type names. */
type Question =
  | { case: "fileByFilename" | "fileContainingSymbol" | "allExtensionNumbersOfType" | "listServices"; value: string }
  | { case: "fileContainingExtension"; value: { containingType: string; extensionNumber: number } }
  | { case: undefined; value?: undefined };

/** The response oneof, shaped so it initialises both v1 and v1alpha messages. */
type Answer =
  | { case: "fileDescriptorResponse"; value: { fileDescriptorProto: Uint8Array[] } }
  | { case: "allExtensionNumbersResponse"; value: { baseTypeName: string; extensionNumber: number[] } }
  | { case: "listServicesResponse"; value: { service: { name: string }[] } }
  | { case: "errorResponse"; value: { errorCode: number; errorMessage: string } };

/**
 * Lookup tables over every file reachable from the served services, built once
 * at registration because descriptors never change at runtime.
 */
class ReflectionIndex {
  readonly serviceNames: string[];
  readonly #files = new Map<string, DescFile>();
  readonly #bytes = new Map<DescFile, Uint8Array>();
  readonly #symbols = new Map<string, DescFile>();
  readonly #messages = new Map<string, DescMessage>();
  /** Extension files keyed by `${extendee}:${number}`. */
  readonly #extensions = new Map<string, DescFile>();

  constructor(services: readonly DescService[]) {
    this.serviceNames = [...new Set(services.map((s) => s.typeName))];
    for (const service of services) this.#addFile(service.file);
  }

  file(name: string): DescFile | undefined {
    return this.#files.get(name);
  }

  fileContainingSymbol(symbol: string): DescFile | undefined {
    return this.#symbols.get(symbol);
  }

  fileContainingExtension(extendee: string, number: number): DescFile | undefined {
    return this.#extensions.get(`${extendee}:${number}`);
  }

  extensionNumbers(typeName: string): number[] | undefined {
    if (!this.#messages.has(typeName)) return undefined;
    const prefix = `${typeName}:`;
    return [...this.#extensions.keys()].filter((k) => k.startsWith(prefix)).map((k) => Number(k.slice(prefix.length)));
  }

  /**
   * Serialized `file` followed by its transitive imports. Files already in
   * `sent` are skipped (their imports were sent with them), except the
   * requested one itself, which grpc-go always returns.
   */
  withDependencies(file: DescFile, sent: Set<string>): Uint8Array[] {
    const out: Uint8Array[] = [];
    const queue = [file];
    for (let f = queue.shift(); f; f = queue.shift()) {
      if (f !== file && sent.has(f.proto.name)) continue;
      sent.add(f.proto.name);
      out.push(this.#serialized(f));
      queue.push(...f.dependencies.filter((d) => !sent.has(d.proto.name)));
    }
    return out;
  }

  #serialized(file: DescFile): Uint8Array {
    let bytes = this.#bytes.get(file);
    if (!bytes) this.#bytes.set(file, (bytes = toBinary(FileDescriptorProtoSchema, file.proto)));
    return bytes;
  }

  #addFile(file: DescFile): void {
    if (this.#files.has(file.proto.name)) return;
    this.#files.set(file.proto.name, file);
    const pkg = file.proto.package ? `${file.proto.package}.` : "";
    for (const e of file.enums) this.#addEnum(e, pkg);
    for (const m of file.messages) this.#addMessage(m);
    for (const x of file.extensions) this.#addExtension(x, file);
    for (const s of file.services) {
      this.#symbols.set(s.typeName, file);
      for (const m of s.methods) this.#symbols.set(`${s.typeName}.${m.name}`, file);
    }
    for (const dep of file.dependencies) this.#addFile(dep);
  }

  #addMessage(m: DescMessage): void {
    this.#symbols.set(m.typeName, m.file);
    this.#messages.set(m.typeName, m);
    for (const f of m.fields) this.#symbols.set(`${m.typeName}.${f.name}`, m.file);
    for (const o of m.oneofs) this.#symbols.set(`${m.typeName}.${o.name}`, m.file);
    for (const e of m.nestedEnums) this.#addEnum(e, `${m.typeName}.`);
    for (const n of m.nestedMessages) this.#addMessage(n);
    // Map entry messages aren't in nestedMessages but are real symbols to grpc-go.
    for (const n of m.proto.nestedType) this.#symbols.set(`${m.typeName}.${n.name}`, m.file);
    for (const x of m.nestedExtensions) this.#addExtension(x, m.file);
  }

  /** Enum values are scoped to the enum's parent, as in protobuf name resolution. */
  #addEnum(e: DescEnum, scope: string): void {
    this.#symbols.set(e.typeName, e.file);
    for (const v of e.values) this.#symbols.set(`${scope}${v.name}`, e.file);
  }

  #addExtension(x: DescExtension, file: DescFile): void {
    this.#symbols.set(x.typeName, file);
    this.#extensions.set(`${x.extendee.typeName}:${x.number}`, file);
  }
}

function notFound(message: string): Answer {
  return { case: "errorResponse", value: { errorCode: Code.NotFound, errorMessage: message } };
}

function answer(index: ReflectionIndex, question: Question, sent: Set<string>): Answer {
  const files = (file: DescFile | undefined, what: string): Answer =>
    file
      ? { case: "fileDescriptorResponse", value: { fileDescriptorProto: index.withDependencies(file, sent) } }
      : notFound(`${what} not found`);
  switch (question.case) {
    case "listServices":
      return { case: "listServicesResponse", value: { service: index.serviceNames.map((name) => ({ name })) } };
    case "fileByFilename":
      return files(index.file(question.value), `file "${question.value}"`);
    case "fileContainingSymbol":
      return files(index.fileContainingSymbol(question.value), `symbol "${question.value}"`);
    case "fileContainingExtension": {
      const { containingType, extensionNumber } = question.value;
      const file = index.fileContainingExtension(containingType, extensionNumber);
      return files(file, `extension ${extensionNumber} of "${containingType}"`);
    }
    case "allExtensionNumbersOfType": {
      const numbers = index.extensionNumbers(question.value);
      if (!numbers) return notFound(`type "${question.value}" not found`);
      return { case: "allExtensionNumbersResponse", value: { baseTypeName: question.value, extensionNumber: numbers } };
    }
    default:
      return { case: "errorResponse", value: { errorCode: Code.InvalidArgument, errorMessage: "empty message_request" } };
  }
}

/**
 * One reflection stream. Errors become error_response messages rather than
 * ending the stream, so a client can keep resolving other symbols.
 */
async function* reflect<R extends { host: string; messageRequest: Question }>(index: ReflectionIndex, requests: AsyncIterable<R>) {
  // Per stream, as the protocol lets clients cache what they already got.
  const sent = new Set<string>();
  for await (const request of requests) {
    yield { validHost: request.host, originalRequest: request, messageResponse: answer(index, request.messageRequest, sent) };
  }
}

/**
 * Register grpc.reflection.v1 and v1alpha ServerReflection on `router`.
 *
 * @param services - Services to advertise; the health and reflection services
 *   are always listed too. Their files and all transitive imports (including
 *   well-known types) are served.
 */
export function registerReflection(router: ConnectRouter, services: readonly DescService[]): ConnectRouter {
  const index = new ReflectionIndex([...services, ReflectionV1, ReflectionV1Alpha, Health]);
  return router
    .service(ReflectionV1, { serverReflectionInfo: (requests) => reflect(index, requests) })
    .service(ReflectionV1Alpha, { serverReflectionInfo: (requests) => reflect(index, requests) });
}
