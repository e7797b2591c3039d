import { createRequire } from 'node:module';
import { invalidOptions } from '@plinth/errors';
import type { InstrumentationLike, InstrumentationName, InstrumentationSpec } from './types.js';

interface Builtin {
  readonly packageName: string;
  /** The peer range to install; absent for the ones that are dependencies of this package. */
  readonly peerRange?: string;
  readonly exportName: string;
  readonly defaults?: Record<string, unknown>;
}

/** Every built-in instrumentation: its package, export and the defaults Plinth sets. */
export const BUILTINS: Readonly<Record<InstrumentationName, Builtin>> = {
  http: { packageName: '@opentelemetry/instrumentation-http', exportName: 'HttpInstrumentation' },
  undici: {
    packageName: '@opentelemetry/instrumentation-undici',
    exportName: 'UndiciInstrumentation',
  },
  runtime: {
    packageName: '@opentelemetry/instrumentation-runtime-node',
    exportName: 'RuntimeNodeInstrumentation',
  },
  pino: {
    packageName: '@opentelemetry/instrumentation-pino',
    exportName: 'PinoInstrumentation',
    // @plinth/logging already writes trace_id/span_id; a second mixin would repeat the keys.
    defaults: { disableLogCorrelation: true },
  },
  pg: {
    packageName: '@opentelemetry/instrumentation-pg',
    peerRange: '^0.77.0',
    exportName: 'PgInstrumentation',
    defaults: { enhancedDatabaseReporting: false },
  },
  ioredis: {
    packageName: '@opentelemetry/instrumentation-ioredis',
    peerRange: '^0.72.0',
    exportName: 'IORedisInstrumentation',
  },
  express: {
    packageName: '@opentelemetry/instrumentation-express',
    peerRange: '^0.72.0',
    exportName: 'ExpressInstrumentation',
  },
  fastify: {
    packageName: '@fastify/otel',
    peerRange: '^0.21.0',
    exportName: 'FastifyOtelInstrumentation',
    // Adds the plugin to every Fastify instance at creation, no app change needed.
    defaults: { registerOnInitialization: true },
  },
  'aws-sdk': {
    packageName: '@opentelemetry/instrumentation-aws-sdk',
    peerRange: '^0.79.0',
    exportName: 'AwsInstrumentation',
  },
};

type Require = (id: string) => unknown;
type Factory = new (config: Record<string, unknown>) => InstrumentationLike;

const isMissing = (error: unknown, packageName: string) =>
  (error as { code?: unknown })?.code === 'MODULE_NOT_FOUND' &&
  String((error as Error).message).includes(packageName);

function build(
  name: InstrumentationName,
  config: Record<string, unknown> | undefined,
  load: Require,
  optional: boolean,
): InstrumentationLike | undefined {
  const builtin = BUILTINS[name];
  let mod: Record<string, Factory>;
  try {
    mod = load(builtin.packageName) as Record<string, Factory>;
  } catch (error) {
    if (!isMissing(error, builtin.packageName)) throw error;
    if (optional) return undefined;
    throw invalidOptions(
      'startTelemetry',
      {
        path: 'instrumentations',
        message: `"${name}" needs ${builtin.packageName}: npm install ${builtin.packageName}@${builtin.peerRange ?? 'latest'}`,
      },
      { code: 'TELEMETRY_INSTRUMENTATION_MISSING', cause: error },
    );
  }
  // Built disabled: the SDK enables them all at start, so a failure to load a
  // later one leaves no half-patched module behind.
  return new mod[builtin.exportName]!({ ...builtin.defaults, ...config, enabled: false });
}

/**
 * Instances for the given specs; `undefined` means every built-in whose
 * package is installed. A listed name whose optional peer is missing throws
 * an OptionsError naming the package and its install command.
 */
export function loadInstrumentations(
  specs: readonly InstrumentationSpec[] | undefined,
  load: Require = createRequire(import.meta.url),
): InstrumentationLike[] {
  if (specs === undefined) {
    return (Object.keys(BUILTINS) as InstrumentationName[])
      .map((name) => build(name, undefined, load, true))
      .filter((i) => i !== undefined);
  }
  return specs.map((spec) => {
    if (typeof spec === 'string') return build(spec, undefined, load, false)!;
    return 'instrumentationName' in spec ? spec : build(spec.name, spec.config, load, false)!;
  });
}

type Configurable = InstrumentationLike & {
  setConfig?(config: Record<string, unknown>): void;
};

/**
 * Records in each instance's config that it now runs. The SDK turns a
 * disabled instrumentation on with `enable()`, which leaves its config at
 * `enabled: false`; some read that flag on every event (undici skips every
 * request while it is false), so without this they enable and then record
 * nothing.
 */
export function markEnabled(instrumentations: readonly InstrumentationLike[]): void {
  for (const instrumentation of instrumentations as readonly Configurable[]) {
    const config = instrumentation.getConfig();
    if (config.enabled === false && typeof instrumentation.setConfig === 'function') {
      instrumentation.setConfig({ ...config, enabled: true });
    }
  }
}
