import { createRequire } from 'node:module';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ValidationError } from '@plinth/errors';
import type { InstrumentationLike, InstrumentationName } from './types.js';
import type { NormalizedSpec } from './validate-instrumentations.js';

// Optional peers are required lazily, relative to this package, so a service
// that never asks for pg/express/fastify does not need their packages.
const localRequire = createRequire(import.meta.url);

type Factory = new (config?: Record<string, unknown>) => InstrumentationLike;

interface OptionalInstrumentation {
  readonly packageName: string;
  readonly range: string;
  readonly exportName: string;
  readonly defaults: Record<string, unknown>;
}

/** Versions on the same @opentelemetry/instrumentation 0.223.x line as this package. */
export const OPTIONAL_INSTRUMENTATIONS: Readonly<
  Record<Exclude<InstrumentationName, 'http'>, OptionalInstrumentation>
> = {
  pg: {
    packageName: '@opentelemetry/instrumentation-pg',
    range: '^0.76.0',
    exportName: 'PgInstrumentation',
    // Never record SQL parameter values on spans.
    defaults: { enhancedDatabaseReporting: false },
  },
  express: {
    packageName: '@opentelemetry/instrumentation-express',
    range: '^0.71.0',
    exportName: 'ExpressInstrumentation',
    defaults: {},
  },
  fastify: {
    packageName: '@fastify/otel',
    range: '^0.21.0',
    exportName: 'FastifyOtelInstrumentation',
    // Adds the plugin to every Fastify instance at creation, no app change needed.
    defaults: { registerOnInitialization: true },
  },
};

function isInstalled(packageName: string): boolean {
  try {
    localRequire.resolve(packageName);
    return true;
  } catch {
    return false;
  }
}

function isMissing(error: unknown, packageName: string): boolean {
  const err = error as { code?: unknown; message?: unknown };
  return err?.code === 'MODULE_NOT_FOUND' && String(err.message).includes(packageName);
}

function loadOptional(
  name: Exclude<InstrumentationName, 'http'>,
  config: Record<string, unknown> | undefined,
) {
  const spec = OPTIONAL_INSTRUMENTATIONS[name];
  if (name === 'pg' && config?.enhancedDatabaseReporting === true) {
    throw new ValidationError('pg instrumentation must not record SQL parameter values', {
      code: 'TELEMETRY_OPTIONS_INVALID',
      errors: [
        {
          path: 'instrumentations.pg.config.enhancedDatabaseReporting',
          message: 'must not be true',
          code: 'forbidden',
        },
      ],
    });
  }
  let mod: Record<string, unknown>;
  try {
    mod = localRequire(spec.packageName) as Record<string, unknown>;
  } catch (error) {
    if (!isMissing(error, spec.packageName)) throw error;
    throw new ValidationError(
      `Instrumentation "${name}" needs the optional peer ${spec.packageName}@${spec.range}: install it or remove "${name}" from instrumentations`,
      {
        code: 'TELEMETRY_INSTRUMENTATION_MISSING',
        errors: [
          {
            path: 'instrumentations',
            message: `${spec.packageName} is not installed`,
            code: 'missing_peer',
          },
        ],
        cause: error,
      },
    );
  }
  const Ctor = mod[spec.exportName] as Factory;
  return new Ctor({ ...spec.defaults, ...config, enabled: false });
}

function build(
  name: InstrumentationName,
  config: Record<string, unknown> | undefined,
): InstrumentationLike {
  // Built disabled: nothing is patched until registerInstrumentations runs, so a
  // failure to load a later one leaves no half-patched modules behind.
  if (name === 'http') {
    return new HttpInstrumentation({ ...config, enabled: false }) as unknown as InstrumentationLike;
  }
  return loadOptional(name, config);
}

/**
 * Instances for the normalized specs; `undefined` means the default set:
 * http plus every optional instrumentation whose package is installed.
 */
export function loadInstrumentations(specs: NormalizedSpec[] | undefined): InstrumentationLike[] {
  if (specs === undefined) {
    const names = (
      Object.keys(OPTIONAL_INSTRUMENTATIONS) as Exclude<InstrumentationName, 'http'>[]
    ).filter((name) => isInstalled(OPTIONAL_INSTRUMENTATIONS[name].packageName));
    return (['http', ...names] as InstrumentationName[]).map((name) => build(name, undefined));
  }
  return specs.map((spec) =>
    spec.kind === 'instance' ? spec.instance : build(spec.name, spec.config),
  );
}
