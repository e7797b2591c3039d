// Usage of @plinth/telemetry as a consumer writes it.
import { getTelemetry, startTelemetry, type TelemetryHandle } from '@plinth/telemetry';

export async function smokeTelemetry(): Promise<boolean> {
  const handle: TelemetryHandle = startTelemetry({ service: { name: 'smoke' } });
  const enabled: boolean = handle.enabled;
  await handle.shutdown();
  return !enabled && getTelemetry() === undefined;
}
