import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { TelemetryLoggerLike } from './types.js';

/** A failure reduced to fields that are safe to log (no headers, no payload). */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: 'unknown export failure' };
  const { code } = error as { code?: unknown };
  const out: Record<string, unknown> = { name: error.name, message: error.message.slice(0, 200) };
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  return out;
}

/**
 * Wraps the exporter so an outage is logged once: the first failed export
 * logs one warning, later failures only count dropped spans, and the first
 * success after that logs one "recovered" line with the count.
 */
export function monitorExporter(
  inner: SpanExporter,
  logger: TelemetryLoggerLike,
  endpoint: string,
): SpanExporter {
  let failing = false;
  let dropped = 0;

  const report = (result: ExportResult, spans: number) => {
    if (result.code === ExportResultCode.SUCCESS) {
      if (failing) {
        const log = logger.info ?? logger.warn;
        log.call(logger, { endpoint, droppedSpans: dropped }, 'telemetry export recovered');
        failing = false;
        dropped = 0;
      }
      return;
    }
    dropped += spans;
    if (failing) return;
    failing = true;
    logger.warn(
      { endpoint, err: describeError(result.error) },
      'telemetry export failed: spans are dropped until the collector is reachable (logged once per outage)',
    );
  };

  return {
    export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
      const finish = (result: ExportResult) => {
        try {
          report(result, spans.length);
        } catch {
          // A throwing logger must not break the export pipeline.
        }
        // The batch processor drops a failed batch either way; handing it a
        // failure only routes every retry to the global error handler and
        // stops its shutdown before exporter.shutdown(). The outage is
        // already reported above, so the processor sees success.
        done({ code: ExportResultCode.SUCCESS });
      };
      try {
        inner.export(spans, finish);
      } catch (error) {
        finish({ code: ExportResultCode.FAILED, error: error as Error });
      }
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}
