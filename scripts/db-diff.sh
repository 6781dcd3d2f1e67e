#!/usr/bin/env bash
# Writes a new SQL migration from the difference between the last committed schema.prisma and
# the working copy: DATABASE_URL=postgresql://… scripts/db-diff.sh <name>. Uses Prisma 6.19's
# WebAssembly schema engine, which downloads no engine (Prisma 7's migrate commands need a
# native one). The engine opens a connection to DATABASE_URL but only compares the two files.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: DATABASE_URL=postgresql://… scripts/db-diff.sh <migration_name>}"
: "${DATABASE_URL:?set DATABASE_URL to any reachable PostgreSQL (e.g. the one npm start prints)}"
schema=services/auth/prisma/schema.prisma
work=.data/db-diff
rm -rf "$work" && mkdir -p "$work"
# Prisma 6 requires a url in the datasource block; it is never connected to.
with_url() { sed 's|^\(\s*provider\s*=\s*"postgresql"\)$|\1\n  url = "postgresql://unused@127.0.0.1:1/unused"|'; }
if git cat-file -e "HEAD:$schema" 2>/dev/null; then git show "HEAD:$schema" | with_url > "$work/before.prisma"; fi
with_url < "$schema" > "$work/after.prisma"
cat > "$work/prisma.config.ts" <<'TS'
// A plain object: importing "prisma/config" here would load the project's Prisma 7 helper.
export default {
  engine: "js",
  experimental: { adapter: true },
  schema: "after.prisma",
  adapter: async () => new (await import("@prisma/adapter-pg")).PrismaPg({ connectionString: process.env.DATABASE_URL }),
};
TS
from=(--from-empty); [ -f "$work/before.prisma" ] && from=(--from-schema-datamodel before.prisma)
out="services/auth/prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
# Pointing the native engine variables at any executable stops Prisma from trying to download
# engines it will not use.
sql=$(cd "$work" && PRISMA_QUERY_ENGINE_LIBRARY=/bin/true PRISMA_SCHEMA_ENGINE_BINARY=/bin/true npx -y prisma@6.19.0 migrate diff "${from[@]}" --to-schema-datamodel after.prisma --script)
if ! grep -q '[A-Za-z]' <<<"$(grep -v '^--' <<<"$sql")"; then echo "schema.prisma has no change against HEAD: nothing to write"; exit 0; fi
mkdir -p "$out" && printf '%s\n' "$sql" > "$out/migration.sql"
echo "wrote $out/migration.sql — review it, then commit it with schema.prisma"
