// next-auth passes the message the Credentials provider throws to the page as `error`, and
// nothing else; the input it concerns travels in front of it: "password|The password must…".

export function encodeCredentialsError(e: { error: string; field?: string }): string {
  return e.field ? `${e.field}|${e.error}` : e.error;
}

export function decodeCredentialsError(raw: string): { error: string; field?: string } {
  const m = /^([a-zA-Z]+)\|([\s\S]*)$/.exec(raw);
  return m ? { field: m[1], error: m[2]! } : { error: raw };
}
