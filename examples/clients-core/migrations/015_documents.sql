-- Client documents. The bytes live in S3, envelope-encrypted with a KMS data
-- key whose encryption context is (tenant, client, document); the object key
-- is tenants/<tenant uuid>/documents/<document uuid>, no personal data. The
-- file name is field-cipher ciphertext (names often carry personal data).
-- object_version_id is set when the bucket is versioned (Object Lock), so a
-- delete removes that version and not just adds a delete marker.
CREATE TABLE documents (
  id                uuid PRIMARY KEY,
  tenant_id         uuid NOT NULL,
  client_id         uuid NOT NULL,
  name              text NOT NULL,
  content_type      text NOT NULL,
  size              bigint NOT NULL CHECK (size >= 0),
  sha256            text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  object_key        text NOT NULL,
  object_version_id text,
  created_at        timestamptz(3) NOT NULL DEFAULT now(),
  retain_until      timestamptz(3) NOT NULL,
  CONSTRAINT documents_tenant_id_key UNIQUE (tenant_id, id),
  CONSTRAINT documents_object_key_key UNIQUE (object_key),
  -- No cascade: a client with documents (possibly under retention) cannot be deleted.
  CONSTRAINT documents_client_fk FOREIGN KEY (tenant_id, client_id)
    REFERENCES clients (tenant_id, id)
);

-- A client's documents, keyset-paginated by (created_at, id).
CREATE INDEX documents_tenant_client_idx ON documents (tenant_id, client_id, created_at, id);
