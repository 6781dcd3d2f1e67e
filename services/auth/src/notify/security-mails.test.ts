import { describe, expect, it } from "vitest";
import { deviceLabel, emailChangedMail } from "./security-mails.js";

const event = { client: { userAgent: "Laptop/1.0", ipAddress: "192.0.2.1" }, at: new Date("2026-01-02T03:04:05Z") };

describe("deviceLabel", () => {
  it("quotes the User-Agent on one line, cut short, and names a missing one", () => {
    expect(deviceLabel("Mozilla/5.0\r\nFake-Header: x\u0000")).toBe("Mozilla/5.0 Fake-Header: x");
    const long = deviceLabel("A".repeat(1000));
    expect(long).toHaveLength(160);
    expect(long.endsWith("…")).toBe(true);
    expect(deviceLabel("  \t")).toBe("an unknown device");
  });
});

describe("emailChangedMail", () => {
  it("goes to the old address, names the new one and points at the account page (a reset link would reach the new address)", () => {
    const mail = emailChangedMail("https://web.test/", "old@example.com", { ...event, newAddress: "new@example.com" });
    expect(mail.to).toBe("old@example.com");
    expect(mail.text).toContain("to new@example.com");
    expect(mail.text).toContain("https://web.test/account");
    expect(mail.text).not.toContain("forgot-password");
    expect(mail.text).toContain("Time: Fri, 02 Jan 2026 03:04:05 GMT");
    expect(mail.expiresAt).toBeUndefined();
  });
});
