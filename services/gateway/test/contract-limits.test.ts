/**
 * The REST surface follows the contract: its Profile shapes list exactly the proto's fields, and
 * the limits its OpenAPI document states are the shared table's, which the auth service enforces.
 */
import { describe, expect, it } from "vitest";
import { ProfileSchema } from "../../../gen/tessera/user/v1/user_pb.js";
import { EMAIL_MAX_LENGTH, EMPLOYEES_MAX, NAME_MAX, PAGE_SIZE_MAX, PROFILE_LIMITS } from "../../shared/contract-limits.js";
import { openApiDocument } from "../src/openapi.js";
import * as s from "../src/schemas.js";

const doc = openApiDocument() as any;
const patchBody = doc.paths["/users/me"].patch.requestBody.content["application/json"].schema;
const profilePatch = patchBody.properties.profile.properties;
const listParams = Object.fromEntries(doc.paths["/users"].get.parameters.map((p: { name: string; schema: unknown }) => [p.name, p.schema]));

describe("REST schemas from the contract", () => {
  it("Profile and its PATCH body list exactly the fields of tessera.user.v1.Profile", () => {
    const fields = ProfileSchema.fields.map((f) => f.localName);
    expect(Object.keys(s.Profile.shape)).toEqual(fields);
    expect(Object.keys(s.ProfilePatch.shape)).toEqual(fields);
    expect(Object.keys(doc.components.schemas.Profile.properties)).toEqual(fields);
    expect(Object.keys(profilePatch)).toEqual(fields);
  });

  it("the OpenAPI document states the shared table's limits", () => {
    for (const [key, limit] of Object.entries(PROFILE_LIMITS)) {
      if ("maxLength" in limit) expect(profilePatch[key].maxLength, key).toBe(limit.maxLength);
    }
    expect(patchBody.properties.name.maxLength).toBe(NAME_MAX);
    expect(profilePatch.employeesNumber.anyOf[0].maximum).toBe(EMPLOYEES_MAX);
    expect(listParams.pageSize.maximum).toBe(PAGE_SIZE_MAX);
    expect(listParams.emailPrefix.maxLength).toBe(EMAIL_MAX_LENGTH);
  });
});
