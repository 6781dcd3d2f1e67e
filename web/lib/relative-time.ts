// "3 minutes ago" / "il y a 3 minutes" for a past or future instant, in the reader's language,
// with the exact date and time kept for a tooltip or <time dateTime>.
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 30],
  ["month", 12],
  ["year", Number.POSITIVE_INFINITY],
];

export function relativeTime(when: Date, locale: string, now: Date = new Date()): string {
  let amount = (when.getTime() - now.getTime()) / 1000;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  // Round half away from zero, the same into the past and the future.
  const round = (n: number) => Math.sign(n) * Math.round(Math.abs(n)) || 0;
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return format.format(round(amount), unit);
    amount /= size;
  }
  return format.format(round(amount), "year");
}

export function exactTime(when: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(when);
}
