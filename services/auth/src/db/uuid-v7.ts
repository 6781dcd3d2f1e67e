import { randomFillSync } from "node:crypto";

// The ids Prisma makes for `@default(uuid(7))`, for rows inserted by raw SQL: RFC 9562
// version 7, 48 bits of Unix milliseconds then random bits. rand_a holds a counter within
// one millisecond (RFC 9562 §6.2 method 1), so ids made in order by this process sort in
// order: audit events are listed by id.

let lastMs = 0;
let counter = 0;
const bytes = Buffer.alloc(16);

/** A new UUIDv7 string, greater than every earlier one from this process. */
export function uuidv7(): string {
  let ms = Date.now();
  randomFillSync(bytes, 6);
  if (ms > lastMs) {
    lastMs = ms;
    counter = bytes.readUInt16BE(6) & 0x3ff; // random start, room for 3k more in this millisecond
  } else {
    ms = lastMs;
    counter += 1;
    if (counter > 0xfff) {
      lastMs = ms = lastMs + 1;
      counter = 0;
    }
  }
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
