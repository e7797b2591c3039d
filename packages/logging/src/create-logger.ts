import {
  invalidOptions,
  isOptionsObject,
  type OptionIssueInput,
  REDACTED,
  requireOptionsObject,
} from '@plinth/errors';
import pino, { type DestinationStream, type Logger, type LoggerOptions as PinoOptions } from 'pino';
import { BASE_KEYS, createBindingsRedactor, createLineFormatter } from './line.js';
import { createLogMethodHook } from './log-method.js';
import { createContextMixin } from './mixin.js';
import { type LoggerOptions, resolveOptions } from './options.js';
import { loadOtelTraceApi } from './otel.js';
import { loadPretty, prettyStream } from './pretty.js';
import { createRedaction, type Redaction, redactIssues } from './redact.js';

type Serializer = (value: unknown) => unknown;

function wrapSerializers(
  serializers: PinoOptions['serializers'],
  redact: Serializer,
): Record<string, Serializer> {
  // formatters.log has already redacted `err`; this replaces pino's default
  // err serializer and only acts on an Error that is still raw.
  const out: Record<string, Serializer> = {
    err: (value) => (value instanceof Error ? redact(value) : value),
  };
  for (const [key, fn] of Object.entries(serializers ?? {})) {
    if (typeof fn === 'function') out[key] = (value: unknown) => redact(fn(value));
  }
  return out;
}

function chooseDestination(
  options: LoggerOptions,
  development: boolean,
): DestinationStream | undefined {
  const destination = options.destination as DestinationStream | undefined;
  // Only an explicit development environment turns pretty output on: a
  // production process that forgot NODE_ENV must still write JSON lines.
  const wantPretty = options.pretty ?? development;
  if (!wantPretty) return destination;
  const factory = loadPretty();
  if (factory) return prettyStream(factory, destination);
  if (options.pretty === true) {
    process.emitWarning('pretty: true but pino-pretty is not installed; writing JSON lines', {
      code: 'PLINTH_LOGGING_NO_PRETTY',
    });
  }
  return destination;
}

/** Fields written into every line: a wrong type would be repeated on each one. */
function identityIssues(o: LoggerOptions): OptionIssueInput[] {
  const issues: OptionIssueInput[] = [];
  const service = o.service as unknown;
  if (service !== undefined && typeof service !== 'string' && !isOptionsObject(service)) {
    issues.push({
      path: 'service',
      message: 'must be a string or { name, version?, environment? }',
    });
  }
  const strings: Array<[string, unknown]> = [
    ['version', o.version],
    ['env', o.env],
    ['name', o.name],
  ];
  if (isOptionsObject(service)) {
    strings.push(
      ['service.version', service.version],
      ['service.environment', service.environment],
    );
  }
  for (const [path, value] of strings) {
    if (value !== undefined && typeof value !== 'string') {
      issues.push({ path, message: 'must be a string' });
    }
  }
  if (o.base !== undefined && !isOptionsObject(o.base)) {
    issues.push({ path: 'base', message: 'must be an object of fields' });
  }
  return issues;
}

/** Options that would otherwise fail on the first line, or misbehave silently, instead of at startup. */
function check(o: LoggerOptions, resolved: ReturnType<typeof resolveOptions>): void {
  const issues: OptionIssueInput[] = [];
  if (resolved.badLevel) issues.push({ path: 'level', message: 'must be one of LOG_LEVELS' });
  if (resolved.badService) issues.push({ path: 'service.name', message: 'must be a string' });
  issues.push(...identityIssues(o), ...redactIssues(o.redact, 'redact.'));
  for (const key of ['pretty', 'context'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') {
      issues.push({ path: key, message: 'must be true or false' });
    }
  }
  if (o.serializers !== undefined && !isOptionsObject(o.serializers)) {
    issues.push({ path: 'serializers', message: 'must be an object of functions' });
  }
  const d = o.destination as { write?: unknown } | undefined;
  if (d !== undefined && typeof d?.write !== 'function') {
    issues.push({ path: 'destination', message: 'must be a stream with a write() method' });
  }
  const otel = o.otel as { trace?: { getActiveSpan?: unknown } } | null | undefined;
  if (otel != null && typeof otel.trace?.getActiveSpan !== 'function') {
    issues.push({ path: 'otel', message: 'must be the @opentelemetry/api module or null' });
  }
  if (issues.length > 0) throw invalidOptions('createLogger', issues);
}

/**
 * Create a pino logger with Plinth's defaults: ISO `time`, level labels,
 * `service`/`version`/`env` base fields (from flat options or the shared
 * `ServiceInfo` health and telemetry take), context and trace fields on every
 * line (context values win; a caller's copy goes under `callerFields`),
 * redaction through the `@plinth/errors` engine (sensitive keys and
 * personal data at any depth, `Secret` values, secrets inside strings and
 * the joined printf message, `[name, value]` pair arrays, wide objects
 * capped), request/response serializers for `req`/`res`, and pretty output
 * in development. Throws an `OptionsError` (code `INVALID_OPTIONS`) for an
 * unknown level, a `service` that is neither a string nor an object with a
 * string `name`, a non-string `version`/`env`/`name`, a `base` or
 * `serializers` that is not an object, `redact.keys`/`redact.paths` that are
 * not arrays, a non-boolean `pretty`/`context`, a destination without
 * `write`, a malformed `otel` or a bad redaction limit.
 *
 * @example
 * ```ts
 * import { createLogger } from '@plinth/logging';
 *
 * const log = createLogger({ service: 'billing', version: '1.4.0' });
 * // or the identity health and telemetry take: createLogger({ service: { name, version, environment } })
 * log.info({ invoiceId: 'inv_1', card: { cardNumber: '4111…' } }, 'invoice paid');
 * // {"level":"info","time":"…","service":"billing",…,"card":{"cardNumber":"[redacted]"},"msg":"invoice paid"}
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const o = requireOptionsObject(options ?? {}, 'createLogger');
  const resolved = resolveOptions(o);
  check(o, resolved);
  const redaction = createRedaction(o.redact);
  const reserved = o.name === undefined ? BASE_KEYS : [...BASE_KEYS, 'name'];
  const mixin = resolved.context
    ? createContextMixin(o.otel === undefined ? loadOtelTraceApi() : o.otel)
    : undefined;
  const log = createLineFormatter(redaction, mixin, reserved);
  const scrub = (message: string) => redaction.value(message) as string;
  const pinoOptions: PinoOptions = {
    level: resolved.level,
    base: redaction.value(resolved.base) as Record<string, unknown>,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (bindings) => redaction.value(bindings) as Record<string, unknown>,
      log,
    },
    serializers: wrapSerializers(o.serializers, redaction.value),
    hooks: { logMethod: createLogMethodHook(scrub, redaction.value) },
  };
  if (o.name !== undefined) pinoOptions.name = o.name;
  if (o.redact?.paths?.length) {
    pinoOptions.redact = { paths: [...o.redact.paths], censor: REDACTED };
  }
  const logger = build(pinoOptions, chooseDestination(o, resolved.development));
  guardChildren(logger, redaction, createBindingsRedactor(redaction, reserved), log);
  return logger;
}

function build(pinoOptions: PinoOptions, destination: DestinationStream | undefined): Logger {
  try {
    return destination === undefined ? pino(pinoOptions) : pino(pinoOptions, destination);
  } catch (cause) {
    // pino validates redact paths (and little else) at construction.
    throw invalidOptions(
      'createLogger',
      { path: 'redact.paths', message: 'rejected by pino' },
      {
        cause,
      },
    );
  }
}

type ChildOptions = Parameters<Logger['child']>[1];

/**
 * pino skips `formatters.bindings` for `child()` and `setBindings()`, and
 * child options may replace the log formatter or add serializers: keep
 * Plinth's redaction behind all of them. Children inherit these methods
 * through the prototype chain, so grandchildren are covered too.
 */
function guardChildren(
  logger: Logger,
  redaction: Redaction,
  bindings: (value: object) => Record<string, unknown>,
  log: (fields: object) => object,
) {
  const child = logger.child;
  const setBindings = logger.setBindings;
  const guard = (options: ChildOptions): ChildOptions => {
    if (!options || (!options.formatters?.log && !options.serializers)) return options;
    const guarded = { ...options };
    const userLog = options.formatters?.log;
    if (userLog) guarded.formatters = { ...options.formatters, log: (f) => log(userLog(f)) };
    if (options.serializers) {
      guarded.serializers = wrapSerializers(options.serializers, redaction.value);
    }
    return guarded;
  };
  logger.child = function guardedChild(this: Logger, values, childOptions) {
    return child.call(this, bindings(values), guard(childOptions));
  } as Logger['child'];
  logger.setBindings = function guardedSetBindings(this: Logger, values) {
    setBindings.call(this, bindings(values));
  };
}
