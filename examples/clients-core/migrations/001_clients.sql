-- Clients of each tenant. name, email and phone are field-cipher ciphertext
-- (pl1, bound to tenant/table/column/row); email_index is the blind index of
-- the normalised email, for lookup and per-tenant uniqueness.
CREATE TABLE clients (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  name        text NOT NULL,
  email       text NOT NULL,
  email_index text NOT NULL,
  phone       text,
  version     integer NOT NULL DEFAULT 1 CHECK (version > 0),
  -- Millisecond precision: the value round-trips through a JS Date and a list cursor exactly.
  created_at  timestamptz(3) NOT NULL DEFAULT now(),
  updated_at  timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT clients_tenant_id_key UNIQUE (tenant_id, id),
  CONSTRAINT clients_tenant_email_key UNIQUE (tenant_id, email_index)
);

-- Keyset pagination: WHERE tenant_id = $1 AND (created_at, id) > ($2, $3) ORDER BY created_at, id.
CREATE INDEX clients_tenant_created_idx ON clients (tenant_id, created_at, id);
