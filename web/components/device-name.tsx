// "Firefox 132 on Linux", from the browser and operating system the auth service read from a
// session's User-Agent; a fallback when it named neither.
export function deviceText(d: { browser: string; operatingSystem: string }, words: { unknown: string; on: string }): string {
  if (d.browser && d.operatingSystem) return `${d.browser} ${words.on} ${d.operatingSystem}`;
  return d.browser || d.operatingSystem || words.unknown;
}

export function DeviceName({ browser, os, unknown, on }: { browser: string; os: string; unknown: string; on: string }) {
  return <>{deviceText({ browser, operatingSystem: os }, { unknown, on })}</>;
}
