import { type Database, sql } from '@plinth/db-repository';
import { z } from 'zod';

/** One issued refresh token, by the hash of its value. */
export interface RefreshTokenRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly familyId: string;
  readonly expiresAt: Date;
  readonly rotatedAt: Date | null;
  readonly revokedAt: Date | null;
  /** The database's clock when the row was read, so expiry is judged on one clock. */
  readonly now: Date;
}

/** A token to store: its hash, never its value. */
export interface NewRefreshToken {
  readonly id: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly familyId: string;
  readonly tokenHash: Buffer;
  readonly expiresAt: Date;
}

const row = z.object({
  id: z.string(),
  tenant_id: z.string(),
  user_id: z.string(),
  family_id: z.string(),
  expires_at: z.date(),
  rotated_at: z.date().nullable(),
  revoked_at: z.date().nullable(),
  now: z.date(),
});

/** SQL for the `refresh_tokens` table. */
export interface RefreshTokenRepository {
  insert(token: NewRefreshToken): Promise<void>;
  /** The token with this hash, row-locked until the transaction ends (concurrent refreshes serialise). */
  findForUpdate(tokenHash: Buffer): Promise<RefreshTokenRecord | null>;
  /** Marks a token used; `false` when it was already rotated or revoked. */
  markRotated(id: string): Promise<boolean>;
  /** Revokes every token of the family not revoked yet, rotated ones included; returns how many. */
  revokeFamily(familyId: string): Promise<number>;
}

/**
 * @example
 * ```ts
 * const tokens = createRefreshTokenRepository(db);
 * ```
 */
export function createRefreshTokenRepository(db: Database): RefreshTokenRepository {
  return {
    async insert(t) {
      await db.query(
        sql`INSERT INTO refresh_tokens (id, tenant_id, user_id, family_id, token_hash, expires_at)
            VALUES (${t.id}, ${t.tenantId}, ${t.userId}, ${t.familyId}, ${t.tokenHash}, ${t.expiresAt})`,
      );
    },

    async findForUpdate(tokenHash) {
      const found = await db.maybeOne(
        sql`SELECT id, tenant_id, user_id, family_id, expires_at, rotated_at, revoked_at, now() AS now
            FROM refresh_tokens WHERE token_hash = ${tokenHash} FOR UPDATE`,
        row,
      );
      return (
        found && {
          id: found.id,
          tenantId: found.tenant_id,
          userId: found.user_id,
          familyId: found.family_id,
          expiresAt: found.expires_at,
          rotatedAt: found.rotated_at,
          revokedAt: found.revoked_at,
          now: found.now,
        }
      );
    },

    async markRotated(id) {
      const { rowCount } = await db.query(
        sql`UPDATE refresh_tokens SET rotated_at = now()
            WHERE id = ${id} AND rotated_at IS NULL AND revoked_at IS NULL`,
      );
      return rowCount > 0;
    },

    async revokeFamily(familyId) {
      const { rowCount } = await db.query(
        sql`UPDATE refresh_tokens SET revoked_at = now()
            WHERE family_id = ${familyId} AND revoked_at IS NULL`,
      );
      return rowCount;
    },
  };
}
