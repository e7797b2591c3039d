import type { TelemetryHandle } from './types.js';

// One slot per process, shared by every installed copy (ESM and CJS builds
// included), so `--import @plinth/telemetry/register` and the app agree.
const SLOT = Symbol.for('plinth.telemetry.v1');

type Holder = { [SLOT]?: TelemetryHandle };

export function getActive(): TelemetryHandle | undefined {
  return (globalThis as Holder)[SLOT];
}

export function setActive(handle: TelemetryHandle): void {
  (globalThis as Holder)[SLOT] = handle;
}

export function clearActive(handle: TelemetryHandle): void {
  if ((globalThis as Holder)[SLOT] === handle) delete (globalThis as Holder)[SLOT];
}

/**
 * The telemetry started in this process (by `startTelemetry` or the
 * `@plinth/telemetry/register` preload), or undefined. Use it to wire
 * `shutdown()` into the graceful-shutdown sequence.
 *
 * @example
 * ```ts
 * import { getTelemetry } from '@plinth/telemetry';
 *
 * await getTelemetry()?.shutdown();
 * ```
 */
export function getTelemetry(): TelemetryHandle | undefined {
  return getActive();
}
