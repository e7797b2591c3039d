import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { LoggerLike } from '@plinth/internal';

/** What the OTLP span, metric and log exporters have in common. */
interface Exporter {
  export(items: unknown, done: (result: ExportResult) => void): void;
}

/** A failure reduced to fields that are safe to log (no headers, no payload). */
function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: 'unknown export failure' };
  const { code } = error as { code?: unknown };
  return { name: error.name, message: error.message.slice(0, 200), code };
}

/**
 * One outage state shared by the trace, metric and log exporters: the first
 * failed export logs one warning, later failures are only counted, and the
 * first success after that logs one "recovered" line with the count.
 * `watch` patches an exporter in place (its other methods stay as they are).
 * Nothing is logged once `stopped()` is true.
 */
export function createExportMonitor(
  logger: Required<LoggerLike>,
  endpoint: string,
  stopped: () => boolean = () => false,
) {
  let failing = false;
  let failedExports = 0;

  const report = (result: ExportResult, signal: string) => {
    // After shutdown the remaining exports are cut off on purpose and the
    // shutdown warning already said their data was dropped.
    if (stopped()) return;
    if (result.code === ExportResultCode.SUCCESS) {
      if (failing) logger.info({ endpoint, failedExports }, 'telemetry export recovered');
      failing = false;
      failedExports = 0;
      return;
    }
    failedExports += 1;
    if (failing) return;
    failing = true;
    logger.warn(
      { endpoint, signal, err: describeError(result.error) },
      'telemetry export failed: data is dropped until the collector is reachable (logged once per outage)',
    );
  };

  return function watch<T extends Exporter>(exporter: T, signal: string): T {
    const inner = exporter.export.bind(exporter);
    exporter.export = (items, done) => {
      const finish = (result: ExportResult) => {
        report(result, signal);
        // The processors drop a failed batch either way; a failure would only
        // go to the global error handler on every retry. The outage is
        // reported above, so they see success.
        done({ code: ExportResultCode.SUCCESS });
      };
      try {
        inner(items, finish);
      } catch (error) {
        finish({ code: ExportResultCode.FAILED, error: error as Error });
      }
    };
    return exporter;
  };
}
