// Vitest runs server modules outside Next.js, where `import "server-only"` would throw; the
// real guard still applies to every Next.js build (see vitest.config.ts).
export {};
