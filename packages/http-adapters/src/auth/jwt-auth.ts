import { deriveContext, type Principal } from '@plinth/context';
import {
  invalidOptions,
  isAppError,
  type OptionIssueInput,
  requireOptionsObject,
} from '@plinth/errors';
import { jwtVerify } from 'jose';
import type { PreHandler } from '../core/options.js';
import { type TokenRefusal, tokenRefused } from './auth-errors.js';
import { bearerCandidate, bearerToken } from './bearer.js';
import { type ClaimMapping, principalFrom } from './claims.js';
import { checkGuards } from './guards.js';
import { checkHeader, unverifiedIssuer } from './jwt-header.js';
import { createKeySource, type KeySourceInput } from './key-source.js';
import { createTokenCache, type TokenCacheOptions, tokenKey } from './token-cache.js';

/** One trusted identity provider. */
export interface JwtIssuerOptions extends ClaimMapping {
  /** Exact `iss` value. */
  issuer: string;
  /** Accepted `aud` value(s). */
  audience: string | readonly string[];
  /** Allow-list, checked against the key type. Default HS256 for a secret, the key's own family otherwise, RS256 for a JWKS. */
  algorithms?: readonly string[];
  keys: KeySourceInput;
}

/** Options of {@link createJwtAuth}. */
export interface JwtAuthOptions {
  issuers: readonly JwtIssuerOptions[];
  /** Tolerance for `exp`, `nbf` and `iat`, 0-60 seconds. Default 30. */
  clockSkewSeconds?: number;
  /** Longer tokens are refused before any decoding. Default 8192 bytes. */
  maxTokenBytes?: number;
  /** Verified-token cache bounds; `false` turns it off. */
  cache?: TokenCacheOptions | false;
  /** Clock in epoch ms (tests). Default `Date.now`. */
  now?: () => number;
}

/** Authentication then authorization, for `preHandlers`, and the cache controls. */
export interface JwtAuth {
  /** `[authenticate, authorize]`: the guards run once the principal is in the context, so a 403 is audited with its actor. */
  readonly preHandlers: readonly [PreHandler, PreHandler];
  /** Forget every verified token (after rotating a secret out of band, say). */
  clearCache(): void;
}

interface Verified {
  principal: Principal;
  tenantId: string | undefined;
}

/**
 * What a verified token adds to the request, as `authenticate` returns it: built
 * once per token and kept in the cache, frozen, for every request that sends it.
 */
type Authenticated = Readonly<{ context: Readonly<{ principal: Principal; tenantId?: string }> }>;

const authenticated = ({ principal, tenantId }: Verified): Authenticated =>
  Object.freeze({
    context: Object.freeze(tenantId === undefined ? { principal } : { principal, tenantId }),
  });

const JOSE_REASON: Record<string, TokenRefusal> = {
  ERR_JWT_EXPIRED: 'expired',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'signature',
  ERR_JOSE_ALG_NOT_ALLOWED: 'alg',
};

function refusalOf(err: unknown): unknown {
  if (isAppError(err)) return err;
  const { code, claim } = err as { code?: string; claim?: string };
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED')
    return tokenRefused(claim === 'nbf' ? 'not_yet_valid' : 'claims');
  return tokenRefused(JOSE_REASON[code ?? ''] ?? 'malformed');
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Issues of one issuer entry that would otherwise fail later, or silently weaken verification. */
function issuerIssues(o: unknown, path: string): OptionIssueInput[] {
  if (typeof o !== 'object' || o === null) return [{ path, message: 'must be an object' }];
  const { issuer, audience, keys, algorithms } = o as Partial<JwtIssuerOptions>;
  const issues: OptionIssueInput[] = [];
  if (!isText(issuer))
    issues.push({ path: `${path}.issuer`, message: 'must be a non-empty string' });
  // jose checks `aud` only when an audience is given: without one, a token minted for
  // any other API of the same identity provider would be accepted here.
  const audiences = typeof audience === 'string' ? [audience] : audience;
  if (!Array.isArray(audiences) || audiences.length === 0 || !audiences.every(isText))
    issues.push({
      path: `${path}.audience`,
      message:
        'must be a non-empty string or a non-empty list of them (tokens for other APIs are refused by it)',
    });
  if (typeof keys !== 'object' || keys === null)
    issues.push({
      path: `${path}.keys`,
      message: 'must be an object with secret, publicKeys or jwksUri',
    });
  if (algorithms !== undefined && !(Array.isArray(algorithms) && algorithms.every(isText)))
    issues.push({ path: `${path}.algorithms`, message: 'must be a list of algorithm names' });
  return issues;
}

function checkOptions(input: JwtAuthOptions) {
  const o = requireOptionsObject(input, 'http-adapters jwt');
  const issues: OptionIssueInput[] = [];
  const skew = o.clockSkewSeconds ?? 30;
  if (!(Number.isInteger(skew) && skew >= 0 && skew <= 60))
    issues.push({ path: 'clockSkewSeconds', message: 'must be an integer from 0 to 60' });
  const max = o.maxTokenBytes ?? 8192;
  if (!(Number.isInteger(max) && max >= 256 && max <= 65_536))
    issues.push({ path: 'maxTokenBytes', message: 'must be an integer from 256 to 65536' });
  if (o.now !== undefined && typeof o.now !== 'function')
    issues.push({ path: 'now', message: 'must be a function returning epoch milliseconds' });
  if (
    o.cache !== undefined &&
    o.cache !== false &&
    (typeof o.cache !== 'object' || o.cache === null)
  )
    issues.push({ path: 'cache', message: 'must be false or an object of bounds' });
  if (!Array.isArray(o.issuers) || o.issuers.length === 0)
    issues.push({ path: 'issuers', message: 'must list at least one issuer' });
  else {
    o.issuers.forEach((issuer, i) => {
      issues.push(...issuerIssues(issuer, `issuers.${i}`));
    });
    const names = o.issuers.map((x) => x?.issuer);
    if (new Set(names).size !== names.length)
      issues.push({ path: 'issuers', message: 'must not list the same issuer twice' });
  }
  if (issues.length > 0) throw invalidOptions('http-adapters jwt', issues);
  return { skew, max };
}

/**
 * Bearer-token authentication with jose, as a pre-handler for the adapters'
 * `preHandlers`. Routes need a valid token unless their `policy.auth` is
 * `optional` or `none`; `policy.roles`, `scopes` and `tiers` are then checked
 * (403). The principal and tenant are attached to the request context.
 *
 * @example
 * ```ts
 * import { createJwtAuth } from '@plinth/http-adapters';
 *
 * const auth = createJwtAuth({
 *   issuers: [{ issuer: 'https://id.example.com/', audience: 'clients-api', principalType: 'client',
 *     keys: { jwksUri: 'https://id.example.com/.well-known/jwks.json' } }],
 * });
 * const options = { routes, preHandlers: auth.preHandlers };
 * ```
 */
export function createJwtAuth(options: JwtAuthOptions): JwtAuth {
  const { skew, max } = checkOptions(options);
  const now = options.now ?? Date.now;
  const issuers = new Map(
    options.issuers.map((o, i) => {
      const source = createKeySource(`issuers.${i}.keys`, o.keys, o.algorithms);
      return [o.issuer, { o, source }] as const;
    }),
  );
  const sources = [...issuers.values()].map((x) => x.source);
  const cache = createTokenCache<Authenticated>(
    options.cache === false ? { maxEntries: 0 } : options.cache,
  );
  let versions = '';

  type Ctx = Parameters<PreHandler>[0]['context'];
  async function verify(
    token: string,
    context: Ctx,
  ): Promise<{ v: Verified; exp: number; nbf: number }> {
    const [head, body] = token.split('.') as [string, string];
    const iss = unverifiedIssuer(body);
    const found = typeof iss === 'string' ? issuers.get(iss) : undefined;
    if (!found) throw tokenRefused('unknown_issuer');
    const { o, source } = found;
    checkHeader(head, source.algorithms);
    const { payload } = await jwtVerify(token, source.key as Uint8Array, {
      issuer: o.issuer,
      audience: o.audience as string[],
      algorithms: source.algorithms as string[],
      clockTolerance: skew,
      requiredClaims: ['exp', 'iss', 'aud'],
      currentDate: new Date(now()),
    }).catch((err: unknown) => {
      throw refusalOf(err);
    });
    if (typeof payload.iat === 'number' && payload.iat * 1000 > now() + skew * 1000)
      throw tokenRefused('iat_future');
    const mapped = principalFrom(payload, o);
    try {
      const ctx = deriveContext(context, mapped);
      const v = { principal: ctx.principal as Principal, tenantId: ctx.tenantId };
      return { v, exp: payload.exp as number, nbf: payload.nbf ?? 0 };
    } catch (err) {
      // createRequestContext's CONTEXT_AUTH_INVALID: the claims are unusable, the same 401.
      if (isAppError(err) && err.status === 401) throw tokenRefused('claims');
      throw err;
    }
  }

  const keyVersions =
    sources.length === 1
      ? () => (sources[0] as (typeof sources)[number]).version()
      : () => sources.map((s) => s.version()).join(',');

  /** A token verified before and still in the cache; undefined on a miss. */
  function fromCache(key: string, at: number): Authenticated | undefined {
    const current = keyVersions();
    if (current !== versions) {
      cache.clear();
      versions = current;
    }
    const hit = cache.get(key, at);
    if (!hit) return undefined;
    if (at >= hit.expiresAt + skew * 1000) throw tokenRefused('expired');
    if (at < hit.notBefore - skew * 1000) throw tokenRefused('not_yet_valid');
    return hit.value;
  }

  async function verifyAndCache(token: string, key: string, at: number, context: Ctx) {
    const { v, exp, nbf } = await verify(token, context);
    const value = authenticated(v);
    cache.set(key, token.length, { value, expiresAt: exp * 1000, notBefore: nbf * 1000 }, at);
    return value;
  }

  /**
   * The cache key of what follows `Bearer ` in a single header: a token verified before
   * answers from the cache before the format checks (it passed them to get there).
   */
  const candidateKeyOf = (authorization: string | string[] | undefined, url: string) => {
    const candidate = bearerCandidate(authorization, url, max);
    return candidate === undefined ? undefined : tokenKey(candidate);
  };

  // Not async: a cached token answers without a promise (the common case); a
  // refusal is still a rejected promise, as from any other pre-handler.
  const authenticate: PreHandler = (request) => {
    try {
      const { policy, url } = request;
      if (policy.auth === 'none') return undefined;
      const authorization = request.headers.authorization as string | string[] | undefined;
      const at = now();
      const candidateKey = candidateKeyOf(authorization, url);
      const cached = candidateKey === undefined ? undefined : fromCache(candidateKey, at);
      if (cached) return cached;
      const token = bearerToken(authorization, url, max);
      if (token === undefined) {
        const guarded = policy.roles || policy.scopes || policy.tiers;
        if (policy.auth === 'optional' && !guarded) return undefined;
        throw tokenRefused('missing');
      }
      // A token bearerToken accepts is the candidate, whose key just missed the cache.
      const key = candidateKey ?? tokenKey(token);
      return verifyAndCache(token, key, at, request.context);
    } catch (err) {
      return Promise.reject(err);
    }
  };
  // A token the cache verified before names the principal before the request's context is
  // built (`PreHandler.atStart`); anything else (no token, a miss, a refusal) is left to
  // `authenticate`, which gives the refusal its reason.
  const fromStart: PreHandler['atStart'] = ({ policy, headers, url }) => {
    if (policy.auth === 'none') return undefined;
    const key = candidateKeyOf(headers.authorization, url);
    if (key === undefined) return undefined;
    try {
      return fromCache(key, now());
    } catch {
      return undefined;
    }
  };
  const authorizeRequest: PreHandler = (request) => {
    const { policy } = request;
    const { principal } = request.context;
    if (policy.auth === 'none' || !(policy.roles || policy.scopes || policy.tiers))
      return undefined;
    if (!principal) throw tokenRefused('missing');
    checkGuards(policy, principal);
    return undefined;
  };
  const authorize: PreHandler = Object.assign(authorizeRequest, { guards: true });
  const caching = options.cache !== false && (options.cache?.maxEntries ?? 1) > 0;
  return {
    preHandlers: [
      caching ? Object.assign(authenticate, { atStart: fromStart }) : authenticate,
      authorize,
    ],
    clearCache: () => cache.clear(),
  };
}
