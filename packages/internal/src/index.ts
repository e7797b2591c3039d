export { deepFreeze } from './freeze.js';
export { isLoggerLike, safeLogger, stderrLogger } from './logger.js';
export { setOwn } from './own.js';
export { isNetworkError, NETWORK_ERROR_CODES, NETWORK_ERROR_PHRASES } from './network.js';
export { backoffMs, delay, MAX_TIMER_MS, settlesWithin, withDeadline } from './timers.js';
export type { LoggerLike, ServiceInfo } from './types.js';
