// An instant as "3 minutes ago" in the reader's language, with the exact date and time as
// its tooltip and machine-readable datetime; "—" when there is none.
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { exactTime, relativeTime } from "../lib/relative-time";

export function RelativeTime({ at, locale }: { at?: Timestamp; locale: string }) {
  if (!at) return <>—</>;
  const d = timestampDate(at);
  return (
    <time dateTime={d.toISOString()} title={exactTime(d, locale)}>
      {relativeTime(d, locale)}
    </time>
  );
}
