import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const IMPORT = /^(?:import|export)\s[^'";]*?from\s+'([^']+)'|^import\s+'([^']+)'/gm;

/** Every bare module the file graph under `entry` loads at runtime (type-only imports excluded). */
function runtimeModules(
  entry: string,
  seen = new Set<string>(),
  out = new Set<string>(),
): Set<string> {
  if (seen.has(entry)) return out;
  seen.add(entry);
  const text = readFileSync(entry, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  for (const m of text.matchAll(IMPORT)) {
    if (/^(?:import|export)\s+type\s/.test(m[0])) continue;
    const spec = (m[1] ?? m[2]) as string;
    if (spec.startsWith('.'))
      runtimeModules(resolve(dirname(entry), spec.replace(/\.js$/, '.ts')), seen, out);
    else out.add(spec);
  }
  return out;
}

describe('package entry points', () => {
  it('loads no framework, helmet, zod or docs UI from the root (Scalar is imported on first /docs request)', () => {
    const modules = [...runtimeModules(resolve(SRC, 'index.ts'))].sort();
    expect(modules).toEqual([
      '@plinth/context',
      '@plinth/errors',
      '@plinth/internal',
      'jose',
      'node:buffer',
      'node:crypto',
      'node:module',
      'node:stream',
      'rate-limiter-flexible',
    ]);
  });

  it('imports Express only under ./express and Fastify only under ./fastify', () => {
    expect(runtimeModules(resolve(SRC, 'express/index.ts'))).not.toContain('fastify');
    expect(runtimeModules(resolve(SRC, 'fastify/index.ts'))).not.toContain('express');
  });
});
