import { InternalError, REDACTED } from '@plinth/errors';
import pino, { type DestinationStream, type Logger, type LoggerOptions as PinoOptions } from 'pino';
import { createLogMethodHook } from './log-method.js';
import { createContextMixin } from './mixin.js';
import { type LoggerOptions, resolveOptions } from './options.js';
import { loadOtelTraceApi } from './otel.js';
import { loadPretty, prettyStream } from './pretty.js';
import { createRedaction, type Redaction, type Redactor } from './redact.js';

function wrapSerializers(
  serializers: PinoOptions['serializers'],
  redact: Redactor,
): Record<string, (value: unknown) => unknown> {
  // formatters.log has already serialized and redacted `err`; this replaces
  // pino's default err serializer and only acts on an Error that is still raw.
  const out: Record<string, (value: unknown) => unknown> = {
    err: (value) => (value instanceof Error ? redact(value) : value),
  };
  for (const [key, fn] of Object.entries(serializers ?? {})) {
    if (typeof fn === 'function') out[key] = (value: unknown) => redact(fn(value));
  }
  return out;
}

function chooseDestination(options: LoggerOptions): DestinationStream | undefined {
  const destination = options.destination as DestinationStream | undefined;
  // Only an explicit development environment turns pretty output on: a
  // production process that forgot NODE_ENV must still write JSON lines.
  const wantPretty = options.pretty ?? (options.env ?? process.env.NODE_ENV) === 'development';
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

/**
 * Create a pino logger with Plinth's defaults: ISO `time`, level labels,
 * `service`/`version`/`env` base fields, context and trace fields on every
 * line, deep key-name redaction (the `@plinth/errors` sensitive-key list plus
 * `Secret` values), an AppError-aware error serializer, and pretty output in
 * development. Throws an `InternalError` (code `INVALID_OPTION`) for an
 * unknown level or a malformed option (`redact`, `base`, `destination`, `otel`).
 *
 * @example
 * ```ts
 * import { createLogger } from '@plinth/logging';
 *
 * const log = createLogger({ service: 'billing', version: '1.4.0' });
 * log.info({ invoiceId: 'inv_1', card: { cardNumber: '4111…' } }, 'invoice paid');
 * // {"level":"info","time":"…","service":"billing",…,"card":{"cardNumber":"[redacted]"},"msg":"invoice paid"}
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const o = options ?? {};
  const resolved = resolveOptions(o);
  if (resolved.badLevel) {
    throw new InternalError(
      'createLogger: level must be fatal, error, warn, info, debug, trace or silent',
      {
        code: 'INVALID_OPTION',
      },
    );
  }
  checkShapes(o);
  const maxDepth = o.redact?.maxDepth;
  if (maxDepth !== undefined && !(Number.isInteger(maxDepth) && maxDepth >= 1)) {
    throw new InternalError('createLogger: redact.maxDepth must be a positive integer', {
      code: 'INVALID_OPTION',
    });
  }
  const redaction = createRedaction(o.redact);
  const log = lineFormatter(resolved.context, o.otel, redaction);
  const pinoOptions: PinoOptions = {
    level: resolved.level,
    base: redaction.fields(resolved.base),
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (bindings) => redaction.fields(bindings),
      log,
    },
    serializers: wrapSerializers(o.serializers, redaction.value),
    hooks: { logMethod: createLogMethodHook(redaction.text) },
  };
  if (o.name !== undefined) pinoOptions.name = o.name;
  if (o.redact?.paths?.length) {
    pinoOptions.redact = { paths: [...o.redact.paths], censor: REDACTED };
  }
  const destination = chooseDestination(o);
  const logger = build(pinoOptions, destination);
  redactBindings(logger, redaction, log);
  return logger;
}

function invalid(message: string): InternalError {
  return new InternalError(`createLogger: ${message}`, { code: 'INVALID_OPTION' });
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** Option shapes that would otherwise fail later with a bare TypeError (or on the first line). */
function checkShapes(o: LoggerOptions): void {
  if (o.redact !== undefined && !isObject(o.redact)) throw invalid('redact must be an object');
  if (o.base !== undefined && !isObject(o.base)) throw invalid('base must be an object');
  const destination = o.destination as unknown;
  if (
    destination !== undefined &&
    !(isObject(destination) && typeof destination.write === 'function')
  ) {
    throw invalid('destination must be a stream with a write() method');
  }
  const otel = o.otel as unknown;
  if (
    otel !== undefined &&
    otel !== null &&
    !(isObject(otel) && isObject(otel.trace) && typeof otel.trace.getActiveSpan === 'function')
  ) {
    throw invalid('otel must be the @opentelemetry/api module (with trace.getActiveSpan) or null');
  }
}

function build(pinoOptions: PinoOptions, destination: DestinationStream | undefined): Logger {
  try {
    return destination === undefined ? pino(pinoOptions) : pino(pinoOptions, destination);
  } catch (cause) {
    // pino validates redact paths (and little else) at construction.
    throw new InternalError(
      `createLogger: pino rejected the options (${(cause as Error)?.message ?? 'unknown'})`,
      { code: 'INVALID_OPTION', cause },
    );
  }
}

/**
 * One pass per line: context fields first, then the caller's fields
 * (redacted) written over them, so the caller wins and no key repeats. This
 * replaces pino's `mixin` + merge + a separate redaction copy.
 */
function lineFormatter(withContext: boolean, otel: LoggerOptions['otel'], redaction: Redaction) {
  if (!withContext) return (fields: object) => redaction.fields(fields);
  const mixin = createContextMixin(otel === undefined ? loadOtelTraceApi() : otel);
  return (fields: object) => {
    const contextFields = mixin();
    return contextFields === undefined
      ? redaction.fields(fields)
      : redaction.fields(fields, contextFields);
  };
}

type ChildOptions = Parameters<Logger['child']>[1];

/**
 * Child options may replace the log formatter or add serializers; keep
 * Plinth's context fields and redaction behind them.
 */
function guardChildOptions(
  options: ChildOptions,
  redaction: Redaction,
  log: (fields: object) => object,
): ChildOptions {
  if (!options || (!options.formatters?.log && !options.serializers)) return options;
  const guarded = { ...options };
  const userLog = options.formatters?.log;
  if (userLog)
    guarded.formatters = { ...options.formatters, log: (fields) => log(userLog(fields)) };
  if (options.serializers)
    guarded.serializers = wrapSerializers(options.serializers, redaction.value);
  return guarded;
}

/**
 * pino skips `formatters.bindings` for `child()` and `setBindings()`, so
 * redact their bindings here. Children inherit these methods through the
 * prototype chain, so grandchildren are covered too.
 */
function redactBindings(logger: Logger, redaction: Redaction, log: (fields: object) => object) {
  const child = logger.child;
  const setBindings = logger.setBindings;
  logger.child = function redactedChild(this: Logger, bindings, childOptions) {
    return child.call(
      this,
      redaction.fields(bindings),
      guardChildOptions(childOptions, redaction, log),
    );
  } as Logger['child'];
  logger.setBindings = function redactedSetBindings(this: Logger, bindings) {
    setBindings.call(this, redaction.fields(bindings));
  };
}
