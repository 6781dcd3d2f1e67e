/** The request header proxy.ts sets to the page's path and query, for server components that need it (the language switcher). */
export const CURRENT_PATH_HEADER = "x-tessera-path";
