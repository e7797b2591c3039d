// Usage of @plinth/logging as a consumer writes it.
import { createLogger, flush, type Logger, logTiming } from '@plinth/logging';
import pino from 'pino';

const logger: Logger = createLogger({
  service: 'smoke',
  destination: pino.destination({ dest: '/dev/null', sync: true }),
});
logger.info({ password: 'never printed' }, 'hello');
export const smokeLogging = [logTiming(logger, 'sum', () => 1 + 1), flush(logger)];
