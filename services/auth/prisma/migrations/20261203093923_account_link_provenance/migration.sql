-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "linkedWhileUnverified" BOOLEAN NOT NULL DEFAULT false,
ALTER COLUMN "expires_at" SET DATA TYPE BIGINT;

-- Hand-written below (data conversion).
-- Links of users whose email is still unverified may have been made by someone who only
-- claimed the address: mark them, so proving the mailbox removes them.
UPDATE "Account" a SET "linkedWhileUnverified" = true
  FROM "User" u WHERE u.id = a."userId" AND u."emailVerified" IS NULL;

-- Provider tokens are now stored sealed under the key-encryption key, which SQL cannot
-- reach; Tessera never uses them after sign-in, so the plain copies are dropped instead.
UPDATE "Account" SET access_token = NULL, refresh_token = NULL, id_token = NULL
  WHERE access_token IS NOT NULL OR refresh_token IS NOT NULL OR id_token IS NOT NULL;
