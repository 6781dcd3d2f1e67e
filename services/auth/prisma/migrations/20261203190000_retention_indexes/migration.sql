-- Indexes the retention sweeper (services/auth/src/retention) needs so that each batched
-- DELETE finds its rows without reading the whole table. IF NOT EXISTS: on a large database an
-- operator builds them first with CREATE INDEX CONCURRENTLY (docs/operations.md), since this
-- transaction cannot, and would block writes to the table while it builds.

-- CreateIndex
CREATE INDEX IF NOT EXISTS "Session_expires_idx" ON "Session"("expires");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "Session_revokedAt_idx" ON "Session"("revokedAt");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "VerificationToken_expires_idx" ON "VerificationToken"("expires");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "AuditEvent_createdAt_idx" ON "AuditEvent"("createdAt");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "OneTimeToken_expiresAt_idx" ON "OneTimeToken"("expiresAt");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "OutboxMail_status_queuedAt_idx" ON "OutboxMail"("status", "queuedAt");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "DevMail_createdAt_idx" ON "DevMail"("createdAt");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "SignInChallenge_expiresAt_idx" ON "SignInChallenge"("expiresAt");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "WebAuthnChallenge_expiresAt_idx" ON "WebAuthnChallenge"("expiresAt");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "StepUpGrant_expiresAt_idx" ON "StepUpGrant"("expiresAt");
