import { invalidOptions } from '@plinth/errors';
import type { z } from 'zod';
import { ENVIRONMENTS } from './environment.js';
import { inspectSchema, isObjectSchema, type KeyInfo } from './meta.js';

const HEADER = [
  '# Generated from the configuration schema by @plinth/config.',
  '# Regenerate with `plinth-config example <module>`; check with `plinth-config check`.',
];

function render(info: KeyInfo, value: unknown, form: 'input' | 'output'): string {
  if (form === 'output' && info.format !== undefined) return info.format(value);
  if (typeof value === 'string') return value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** `.env` needs quotes for values with spaces, `#`, quotes or newlines. */
function quote(value: string): string {
  if (!/[\s#"'\\]/.test(value)) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\$/g, '\\$')}"`;
}

function describeKey(key: string, info: KeyInfo): string[] {
  const lines = (info.description ?? '')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => `# ${l.trim()}`);
  const notes: string[] = [];
  if (info.secret) notes.push('secret');
  if (info.hint !== undefined) notes.push(info.hint);
  const perEnv = info.envDefaults ?? {};
  const named = ENVIRONMENTS.filter((e) => Object.hasOwn(perEnv, e));
  if (named.length > 0 && !info.secret) {
    notes.push(
      `defaults: ${named.map((e) => `${e}=${render(info, perEnv[e], 'input')}`).join(', ')}`,
    );
  } else if (named.length > 0) {
    notes.push(`built-in default in ${named.join(', ')} only`);
  }
  if (info.zodDefault === undefined && named.length === 0)
    notes.push(info.required ? 'required' : 'optional');
  if (notes.length > 0) lines.push(`# (${notes.join('; ')})`);
  let value = '';
  if (!info.secret && info.zodDefault !== undefined) {
    const { kind, value: v } = info.zodDefault;
    value = quote(
      render(
        info,
        typeof v === 'function' ? undefined : v,
        kind === 'default' ? 'output' : 'input',
      ),
    );
  }
  lines.push(`${key}=${value}`);
  return lines;
}

/**
 * Renders `.env.example` text for a schema: each key with its description
 * (from zod `.describe()`) as comments, a note on the accepted syntax,
 * secret/required/optional, per-environment defaults, and the default value
 * (secrets always blank).
 *
 * @example
 * ```ts
 * import { port, secret, toEnvExample } from '@plinth/config';
 * import { z } from 'zod';
 *
 * const text = toEnvExample(
 *   z.object({ PORT: port().default(3000).describe('HTTP port'), API_TOKEN: secret() }),
 * );
 * ```
 */
export function toEnvExample(schema: z.core.$ZodObject): string {
  if (!isObjectSchema(schema)) {
    throw invalidOptions('toEnvExample', 'schema must be a zod 4 object schema (z.object(...))');
  }
  const shape = schema._zod.def.shape as Record<string, z.core.$ZodType>;
  const blocks = Object.entries(shape).map(([key, s]) =>
    describeKey(key, inspectSchema(s)).join('\n'),
  );
  return `${[HEADER.join('\n'), ...blocks].join('\n\n')}\n`;
}
