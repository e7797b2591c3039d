-- Staff accounts of each tenant (admin, staff, viewer). email is field-cipher
-- ciphertext (pl1, bound to tenant/table/column/row); email_index is its
-- blind index (scope users.email) for login lookup and per-tenant
-- uniqueness; password_hash is a scrypt PHC string. No plaintext secret or
-- address is stored.
CREATE TABLE users (
  id            uuid PRIMARY KEY,
  tenant_id     uuid NOT NULL,
  email         text NOT NULL,
  email_index   text NOT NULL,
  password_hash text NOT NULL CHECK (password_hash LIKE '$scrypt$%'),
  roles         text[] NOT NULL
                CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['admin', 'staff', 'viewer']::text[]),
  created_at    timestamptz(3) NOT NULL DEFAULT now(),
  updated_at    timestamptz(3) NOT NULL DEFAULT now(),
  CONSTRAINT users_tenant_id_key UNIQUE (tenant_id, id),
  CONSTRAINT users_tenant_email_key UNIQUE (tenant_id, email_index)
);
