// Creating a logger
export type { Logger } from 'pino';
export { createLogger } from './create-logger.js';
export type { LoggerOptions } from './options.js';
/** The service identity `service` accepts, shared with `@plinth/health` and `@plinth/telemetry`. */
export type { ServiceInfo } from '@plinth/internal';
export type { LogLevel } from './levels.js';
export { LOG_LEVELS } from './levels.js';

// Context and trace fields
export type { OtelTraceApiLike, SpanContextLike } from './otel.js';

// Redaction and serializers
export type { RedactOptions } from './redact.js';
export { createLogSerializer } from './create-serializer.js';
export type { RequestLike, ResponseLike } from './http.js';
export { serializeRequest, serializeResponse } from './http.js';

// Timing
export type { LogTimingOptions, TimingLogger } from './timing.js';
export { logTiming } from './timing.js';

// Flush and shutdown
export type { FlushableLogger, FlushOptions } from './flush.js';
export { flush } from './flush.js';
