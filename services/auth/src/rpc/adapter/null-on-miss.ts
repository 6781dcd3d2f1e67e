import { exceedsCodePoints, isBadText } from "../../kernel/text.js";
import { AdapterService } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";

/**
 * The AdapterService lookups whose contract (next-auth's) answers a miss with null: they
 * answer an empty response for any key no record can have (empty, over-long, NUL, unpaired
 * surrogate) instead of INVALID_ARGUMENT. A central input check that refuses such strings for
 * every RPC must exempt these methods (proto method names of `ADAPTER_SERVICE_NAME`).
 */
export const NULL_ON_MISS_METHODS: ReadonlySet<string> = new Set([
  "GetUser",
  "GetUserByEmail",
  "GetUserByAccount",
  "GetSessionAndUser",
  "UseVerificationToken",
]);

/** The fully qualified name of the service NULL_ON_MISS_METHODS belongs to. */
export const ADAPTER_SERVICE_NAME = AdapterService.typeName;

/**
 * A lookup key as given, or null when no stored record can have it: empty, more than `max`
 * code points, or holding NUL or an unpaired surrogate. The caller answers null for null.
 */
export function lookupKey(value: string, max: number): string | null {
  if (value.length === 0 || isBadText(value) || exceedsCodePoints(value, max)) return null;
  return value;
}
