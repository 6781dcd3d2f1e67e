-- Seal outbox mail bodies at rest (issue 9, item 4) and let token mail expire instead of
-- failing (item 11).

-- AlterEnum
ALTER TYPE "MailStatus" ADD VALUE 'EXPIRED';

-- AlterTable
ALTER TABLE "OutboxMail" ADD COLUMN "bodyEnc" BYTEA,
ADD COLUMN     "expiresAt" TIMESTAMP(3),
ADD COLUMN     "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Hand-written data step: SQL cannot seal (the key-encryption key is not in the database), so
-- plaintext bodies are dropped, not converted. Sent mail loses nothing it needs. Mail still
-- queued at upgrade time cannot be sent without a body: it is marked FAILED with a reason (its
-- links may still work, but the user must ask for a new mail). Existing rows keep their age for
-- the retention purge.
UPDATE "OutboxMail" SET "queuedAt" = "createdAt";
UPDATE "OutboxMail" SET status = 'FAILED', "lastError" = 'queued before mail bodies were sealed; the body was dropped by the upgrade'
WHERE status = 'QUEUED';

ALTER TABLE "OutboxMail" DROP COLUMN "html",
DROP COLUMN "text";
