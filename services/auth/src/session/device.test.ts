import { describe, expect, it } from "vitest";
import { describeDevice } from "./device.js";

describe("describeDevice", () => {
  it.each([
    [
      "Chrome on Windows",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      { browser: "Chrome 131", operatingSystem: "Windows 10" },
    ],
    [
      "Safari on iOS",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      { browser: "Safari 17", operatingSystem: "iOS 17" },
    ],
    ["Firefox on Linux", "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0", { browser: "Firefox 132", operatingSystem: "Linux" }],
    [
      "Safari on macOS (frozen 10.15.7 not shown)",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
      { browser: "Safari 18", operatingSystem: "macOS" },
    ],
    [
      "Chrome on Android",
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36",
      { browser: "Chrome 131", operatingSystem: "Android 14" },
    ],
    ["curl", "curl/8.5.0", { browser: "", operatingSystem: "" }],
    ["empty", "", { browser: "", operatingSystem: "" }],
    ["512 characters of junk", "x!(;".repeat(128), { browser: "", operatingSystem: "" }],
  ])("%s", (_name, ua, expected) => {
    expect(describeDevice(ua)).toEqual(expected);
  });

  it("reads only the start of an over-long User-Agent", () => {
    const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0";
    expect(describeDevice(`${firefox} ${"a".repeat(100_000)}`)).toEqual({ browser: "Firefox 132", operatingSystem: "Linux" });
  });
});
