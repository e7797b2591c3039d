import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequestContext, deriveContext, runWithContext } from '@plinth/context';
import { describe, expect, it } from 'vitest';

// The built package next to the sources under test: two copies of it in one process.
const other: typeof import('@plinth/context') = await import(
  /* @vite-ignore */ new URL('../dist/index.js', import.meta.url).href
);

describe('the mark of a built context', () => {
  it('is trusted by another copy of the package: the context is used as it is, not copied', () => {
    const ctx = createRequestContext({ tenantId: 't1', principal: { id: 'u1' } });
    expect(other.runWithContext(ctx, () => other.getContext())).toBe(ctx);
    const fromOther = other.createRequestContext({ tenantId: 't2', principal: { id: 'u2' } });
    expect(runWithContext(fromOther, () => other.getContext())).toBe(fromOther);
    // A principal marked by the other copy is reused, not copied again.
    expect(deriveContext(fromOther, { operation: 'GET /x' }).principal).toBe(fromOther.principal);
  });

  it('is invisible and never carried by a copy, so a copy is checked and frozen again', () => {
    const ctx = createRequestContext({ tenantId: 't1' });
    expect(Object.getOwnPropertySymbols(ctx)).toEqual([]);
    expect(JSON.parse(JSON.stringify(ctx))).toEqual(JSON.parse(JSON.stringify({ ...ctx })));
    for (const copy of [{ ...ctx }, Object.assign({}, ctx), structuredClone(ctx)]) {
      const ran = runWithContext(copy, () => other.getContext());
      expect(ran).not.toBe(copy);
      expect(ran).toEqual(ctx);
      expect(Object.isFrozen(ran)).toBe(true);
    }
    const tampered = { ...ctx, tenantId: 't1\nadmin' };
    expect(() => runWithContext(tampered, () => undefined)).toThrow(
      expect.objectContaining({ status: 401 }),
    );
  });

  it('is put on by the builds as published: ESM and CommonJS in a process of their own', () => {
    // Only the built files, as a consumer loads them (a bundler once dropped the marking
    // `new` as side-effect free; sources under test would not show it).
    const script = `
      import { createRequire } from 'node:module';
      const esm = await import('./dist/index.js');
      const cjs = createRequire(import.meta.url)('./dist/index.cjs');
      const a = esm.createRequestContext({ tenantId: 't1' });
      const b = cjs.createRequestContext({ tenantId: 't2' });
      const kept = (m, ctx) => m.runWithContext(ctx, () => m.getContext() === ctx);
      console.log(JSON.stringify([kept(esm, a), kept(cjs, a), kept(esm, b), kept(cjs, b), kept(esm, { ...a })]));
    `;
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd });
    expect(JSON.parse(String(out))).toEqual([true, true, true, true, false]);
  });

  it('cannot be put on an object with the old public symbol', () => {
    const forged = { ...createRequestContext(), tenantId: 't1\nadmin' };
    Object.defineProperty(forged, Symbol.for('plinth.context.frozen.v1'), { value: true });
    expect(() => runWithContext(Object.freeze(forged), () => undefined)).toThrow(
      expect.objectContaining({ status: 401 }),
    );
  });
});
