import { z } from 'zod';
import type { Environment } from './environment.js';

/** What @plinth/config attaches to a schema instance. */
export interface PlinthMeta {
  secret?: boolean;
  /** Per-environment defaults, in the schema's input form. */
  envDefaults?: Partial<Record<Environment, unknown>>;
  /** Renders an output value back to the env-string form (for `.env.example`). */
  format?: (value: unknown) => string;
  /** One-line hint of the accepted syntax, shown in `.env.example`. */
  hint?: string;
  /** Production guards on this schema's output (`refuseInProduction`), in the order added. */
  refusals?: readonly Refusal[];
}

/** One `refuseInProduction` guard: `refuse` sees the output of the schema it is attached to. */
export interface Refusal {
  refuse: (value: never) => boolean | Promise<boolean>;
  reason: string;
}

type AnySchema = z.core.$ZodType;

/**
 * Shared through a global symbol so schemas built with one copy of
 * @plinth/config (or the bundled CLI) are understood by another.
 */
const REGISTRY_KEY = Symbol.for('plinth.config.meta.v1');
const globals = globalThis as { [REGISTRY_KEY]?: WeakMap<object, PlinthMeta> };
globals[REGISTRY_KEY] ??= new WeakMap<object, PlinthMeta>();
const registry: WeakMap<object, PlinthMeta> = globals[REGISTRY_KEY];

/** Attaches `meta` to `schema` (merged over what is there) and returns it. */
export function setMeta<S extends AnySchema>(schema: S, meta: PlinthMeta): S {
  registry.set(schema, { ...registry.get(schema), ...meta });
  return schema;
}

/** Own metadata merged along the clone (`_zod.parent`) chain, nearest wins. */
export function ownMeta(schema: AnySchema): PlinthMeta {
  const parent = schema._zod.parent;
  const inherited = parent === undefined ? {} : ownMeta(parent);
  return { ...inherited, ...registry.get(schema) };
}

/** Everything the loader and `toEnvExample` need to know about one key. */
export interface KeyInfo {
  secret: boolean;
  description: string | undefined;
  envDefaults: Partial<Record<Environment, unknown>> | undefined;
  /** `.default()` (output form) or `.prefault()` (input form) value, if any. */
  zodDefault: { kind: 'default' | 'prefault'; value: unknown } | undefined;
  required: boolean;
  format: ((value: unknown) => string) | undefined;
  hint: string | undefined;
  /**
   * Every guard on the wrapper/pipe-input walk, with the schema it sits on.
   * Each such schema takes the key's raw input, so parsing the raw value with
   * it yields the value its guard expects.
   */
  refusals: { schema: AnySchema; refusal: Refusal }[];
}

const WRAPPERS = new Set([
  'optional',
  'nullable',
  'default',
  'prefault',
  'readonly',
  'catch',
  'nonoptional',
]);

/**
 * Walks through wrappers (optional, default, pipe input, …) collecting
 * metadata; the outermost value wins. Works on any zod 4 schema.
 */
export function inspectSchema(schema: AnySchema): KeyInfo {
  const info: KeyInfo = {
    secret: false,
    description: undefined,
    envDefaults: undefined,
    zodDefault: undefined,
    required: schema._zod.optin === undefined,
    format: undefined,
    hint: undefined,
    refusals: [],
  };
  let current: AnySchema | undefined = schema;
  for (let depth = 0; current !== undefined && depth < 32; depth += 1) {
    const meta = ownMeta(current);
    info.secret ||= meta.secret === true;
    info.envDefaults ??= meta.envDefaults;
    info.format ??= meta.format;
    info.hint ??= meta.hint;
    for (const refusal of meta.refusals ?? []) info.refusals.push({ schema: current, refusal });
    info.description ??= z.globalRegistry.get(current)?.description;
    const def = current._zod.def as { type: string; innerType?: AnySchema; in?: AnySchema };
    if ((def.type === 'default' || def.type === 'prefault') && info.zodDefault === undefined) {
      info.zodDefault = {
        kind: def.type,
        value: (def as unknown as { defaultValue: unknown }).defaultValue,
      };
    }
    if (WRAPPERS.has(def.type)) current = def.innerType;
    else if (def.type === 'pipe') current = def.in;
    else current = undefined;
  }
  return info;
}

/** True for a zod 4 object schema (classic or mini); false for look-alikes, even ones whose getters throw. */
export function isObjectSchema(value: unknown): value is z.core.$ZodObject {
  try {
    const def = (value as { _zod?: { def?: { type?: string; shape?: unknown } } } | null)?._zod
      ?.def;
    return def?.type === 'object' && typeof def.shape === 'object' && def.shape !== null;
  } catch {
    return false;
  }
}
