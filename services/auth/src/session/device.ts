import Bowser from "bowser";

/** How much of a User-Agent is parsed: real ones are far shorter; the rest is not worth regex time. */
const PARSED_MAX = 512;
/** A label longer than this is not a browser or system name but text the client made up. */
const LABEL_MAX = 48;

/** What a session's User-Agent says about the device, for people choosing which session to end. */
export interface DeviceLabels {
  /** Browser with its major version, e.g. "Firefox 132"; "" when the User-Agent names none. */
  browser: string;
  /** Operating system, with its version where the User-Agent tells it truthfully: "Android 14", "Windows 10", "macOS"; "" when none. */
  operatingSystem: string;
}

/**
 * Reads the browser and operating system from a stored User-Agent (bowser, MIT). The
 * User-Agent is the client's own text: anything unrecognised gives "" rather than an error.
 */
export function describeDevice(userAgent: string): DeviceLabels {
  const ua = userAgent.slice(0, PARSED_MAX).trim();
  if (ua === "") return { browser: "", operatingSystem: "" };
  let parsed: Bowser.Parser.ParsedResult;
  try {
    parsed = Bowser.parse(ua);
  } catch {
    return { browser: "", operatingSystem: "" };
  }
  return { browser: browserLabel(parsed.browser), operatingSystem: osLabel(parsed.os) };
}

function browserLabel({ name, version }: Bowser.Parser.BrowserDetails): string {
  return label(name, majorOf(version));
}

function osLabel({ name, version, versionName }: Bowser.Parser.OSDetails): string {
  switch (name) {
    // Windows reports its kernel ("NT 10.0"); bowser's versionName is the marketing one ("10").
    case "Windows":
      return label(name, versionName && /^[\w.]+$/.test(versionName) ? versionName : undefined);
    case "Android":
    case "iOS":
    case "iPadOS":
      return label(name, majorOf(version));
    // macOS browsers freeze the version at 10.15.7, Linux ones send none worth showing.
    default:
      return label(name, undefined);
  }
}

/** The leading number of a dotted version ("132.0" → "132"); undefined when there is none. */
function majorOf(version: string | undefined): string | undefined {
  return /^\d{1,6}/.exec(version ?? "")?.[0];
}

function label(name: string | undefined, version: string | undefined): string {
  const clean = (name ?? "").replace(/[\u0000-\u001f\u007f-\u009f]/g, "").trim();
  if (clean === "" || clean.length > LABEL_MAX) return "";
  return version ? `${clean} ${version}` : clean;
}
