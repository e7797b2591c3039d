-- Refresh tokens, one row per issued token, only as the SHA-256 of the token
-- (the token is 256 random bits: a fast hash is enough, and a database dump
-- yields nothing usable). A login starts a family; each refresh marks the
-- presented token rotated and issues the next one in the same family, with
-- the family's expiry. Presenting a rotated token again is reuse: the whole
-- family is revoked.
CREATE TABLE refresh_tokens (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  user_id     uuid NOT NULL,
  family_id   uuid NOT NULL,
  token_hash  bytea NOT NULL CHECK (octet_length(token_hash) = 32),
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  expires_at  timestamptz(3) NOT NULL,
  rotated_at  timestamptz(3),
  revoked_at  timestamptz(3),
  CONSTRAINT refresh_tokens_hash_key UNIQUE (token_hash),
  CONSTRAINT refresh_tokens_user_fk FOREIGN KEY (tenant_id, user_id)
    REFERENCES users (tenant_id, id) ON DELETE CASCADE
);

-- Revoking a family: UPDATE … WHERE family_id = $1.
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
-- The foreign key's cascade, and a user's sessions.
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (tenant_id, user_id);
