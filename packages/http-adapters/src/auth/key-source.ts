import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { invalidOptions } from '@plinth/errors';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { keysUnavailable, tokenRefused } from './auth-errors.js';

/** A public key given in configuration: PEM (SPKI or certificate) text or a public JWK. */
export interface PublicKeyInput {
  /** Matched against the token's `kid`; default the JWK's own `kid`. */
  kid?: string;
  key: string | JsonWebKey;
}

/** Remote JSON Web Key Set settings (jose's `createRemoteJWKSet`). */
export interface RemoteJwksInput {
  jwksUri: string;
  /** How long a fetched key set is used before it is refetched. Default 600000 (10 min). */
  cacheMaxAgeMs?: number;
  /** No refetch for an unknown `kid` within this long after the last fetch. Default 30000. */
  cooldownMs?: number;
  /** Abort a fetch after this long (then 503). Default 5000. */
  timeoutMs?: number;
  /** Larger key-set responses are refused (then 503). Default 65536 bytes. */
  maxBytes?: number;
}

/** Where an issuer's verification keys come from: exactly one of the three. */
export type KeySourceInput =
  | { secret: string | Uint8Array }
  | { publicKeys: readonly PublicKeyInput[] }
  | RemoteJwksInput;

/** A key source ready for `jwtVerify`. `version` changes whenever the key set does. */
export interface KeySource {
  readonly algorithms: readonly string[];
  readonly key: Uint8Array | JWTVerifyGetKey;
  version(): string;
}

const HMAC = ['HS256', 'HS384', 'HS512'];
const RSA = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const FAMILY: Record<string, readonly string[]> = {
  rsa: RSA,
  'rsa-pss': ['PS256', 'PS384', 'PS512'],
  'ec:P-256': ['ES256'],
  'ec:P-384': ['ES384'],
  'ec:P-521': ['ES512'],
  ed25519: ['EdDSA', 'Ed25519'],
};
const ASYMMETRIC = new Set(Object.values(FAMILY).flat());

const fail = (path: string, message: string): never => {
  throw invalidOptions('http-adapters jwt', { path, message });
};

const CURVES: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

function familyOf(key: KeyObject): readonly string[] {
  const type = key.asymmetricKeyType ?? '';
  const curve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
  return FAMILY[type === 'ec' ? `ec:${curve}` : type] ?? [];
}

function allowList(
  path: string,
  given: readonly string[] | undefined,
  fits: (a: string) => boolean,
  fallback: string[],
) {
  const algorithms = given ?? fallback;
  if (algorithms.length === 0 || !algorithms.every(fits))
    fail(
      `${path}.algorithms`,
      'must be non-empty and match the key type (HS* for a secret, RS/PS/ES/EdDSA for public keys)',
    );
  return Object.freeze([...algorithms]);
}

function localKeys(
  path: string,
  inputs: readonly PublicKeyInput[],
  given?: readonly string[],
): KeySource {
  const families = new Set<string>();
  const keys = inputs.map((input, i) => {
    let key: KeyObject;
    try {
      key =
        typeof input.key === 'string'
          ? createPublicKey(input.key)
          : createPublicKey({ key: input.key, format: 'jwk' });
    } catch {
      return fail(
        `${path}.publicKeys.${i}`,
        'must be a PEM public key or an asymmetric public JWK',
      );
    }
    for (const alg of familyOf(key)) families.add(alg);
    const kid =
      input.kid ??
      (typeof input.key === 'object' ? (input.key.kid as string | undefined) : undefined);
    return { ...(key.export({ format: 'jwk' }) as JWK), ...(kid ? { kid } : {}) };
  });
  if (keys.length === 0) fail(`${path}.publicKeys`, 'must list at least one key');
  const algorithms = allowList(path, given, (a) => families.has(a), [...families].slice(0, 1));
  const version = createHash('sha256').update(JSON.stringify(keys)).digest('base64url');
  return { algorithms, key: createLocalJWKSet({ keys }), version: () => version };
}

async function readCapped(response: Response, maxBytes: number): Promise<Response> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new Error('JWKS response too large');
    chunks.push(chunk);
  }
  return new Response(Buffer.concat(chunks), { status: response.status });
}

function remoteKeys(path: string, o: RemoteJwksInput, given?: readonly string[]): KeySource {
  let url: URL;
  try {
    url = new URL(o.jwksUri);
  } catch {
    return fail(`${path}.jwksUri`, 'must be an absolute URL');
  }
  const algorithms = allowList(path, given, (a) => ASYMMETRIC.has(a), ['RS256']);
  let version = 'none';
  const maxBytes = o.maxBytes ?? 65_536;
  const remote = createRemoteJWKSet(url, {
    cacheMaxAge: o.cacheMaxAgeMs ?? 600_000,
    cooldownDuration: o.cooldownMs ?? 30_000,
    timeoutDuration: o.timeoutMs ?? 5_000,
    [customFetch]: async (input: string, init: RequestInit) => {
      const capped = await readCapped(await fetch(input, init), maxBytes);
      const body = await capped.clone().arrayBuffer();
      version = createHash('sha256').update(new Uint8Array(body)).digest('base64url');
      return capped;
    },
  });
  const key: JWTVerifyGetKey = async (header, token) => {
    try {
      return await remote(header, token);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ERR_JWKS_NO_MATCHING_KEY' || code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS')
        throw tokenRefused('unknown_kid');
      // Down, slow, not JSON, not a key set or too large: the token may be fine, so 503, not 401.
      throw keysUnavailable();
    }
  };
  return { algorithms, key, version: () => version };
}

/** Build an issuer's key source, checking that its algorithms fit its key type. */
export function createKeySource(
  path: string,
  input: KeySourceInput,
  algorithms?: readonly string[],
): KeySource {
  if ('secret' in input) {
    const secret =
      typeof input.secret === 'string' ? new TextEncoder().encode(input.secret) : input.secret;
    if (!(secret instanceof Uint8Array) || secret.byteLength < 32)
      fail(`${path}.secret`, 'must be at least 32 bytes');
    const version = createHash('sha256').update(secret).digest('base64url');
    return {
      algorithms: allowList(path, algorithms, (a) => HMAC.includes(a), ['HS256']),
      key: secret,
      version: () => version,
    };
  }
  if ('publicKeys' in input) return localKeys(path, input.publicKeys, algorithms);
  if ('jwksUri' in input) return remoteKeys(path, input, algorithms);
  return fail(path, 'needs one of secret, publicKeys or jwksUri');
}
