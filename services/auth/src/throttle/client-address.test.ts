import { describe, expect, it } from "vitest";
import { addressSubject } from "./client-address.js";

describe("addressSubject", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["::FFFF:cb00:7107", "203.0.113.7"],
    ["2001:db8::5", "2001:db8:0:0::/64"],
    ["2001:0DB8:0000:0000:ffff:1:2:3", "2001:db8:0:0::/64"],
    ["2001:db8:aa:bb:cc::1", "2001:db8:aa:bb::/64"],
    ["2001:db8:aa:bb::", "2001:db8:aa:bb::/64"],
    ["::1", "0:0:0:0::/64"],
    ["::", "0:0:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["64:ff9b::198.51.100.1", "64:ff9b:0:0::/64"],
    ["", ""],
    ["not an address", "not an address"],
  ])("counts %j as %j", (ip, subject) => {
    expect(addressSubject(ip)).toBe(subject);
  });

  it("puts every address of one IPv6 /64 in one bucket, and neighbouring /64s in others", () => {
    expect(addressSubject("2001:db8:1:2:aaaa::1")).toBe(addressSubject("2001:db8:1:2:ffff:ffff:ffff:ffff"));
    expect(addressSubject("2001:db8:1:2::1")).not.toBe(addressSubject("2001:db8:1:3::1"));
  });
});
