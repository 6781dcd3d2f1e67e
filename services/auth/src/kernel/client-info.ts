/** Who is calling, as seen on the connection: recorded on sessions and audit events. */
export interface ClientInfo {
  ipAddress: string;
  userAgent: string;
}
