import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as errors from '@plinth/errors';
import { BUILTIN_ERRORS, defineErrors, OptionsError } from '@plinth/errors';
import * as catalog from '@plinth/errors/catalog';
import { renderErrorCatalog } from '@plinth/errors/catalog';
import { describe, expect, it } from 'vitest';
import { CATALOG_PATH, renderBuiltinCatalog } from '../scripts/generate-catalog.mjs';

describe('renderErrorCatalog', () => {
  it('renders a table row and an anchored entry per code', () => {
    const Errors = defineErrors({
      CLIENT_NOT_FOUND: {
        status: 404,
        title: 'Client | not found',
        description: 'When the id is unknown.',
      },
    });
    const md = renderErrorCatalog([{ heading: 'Clients', errors: Errors }], {
      title: 'Clients API errors',
    });
    expect(md).toContain('# Clients API errors');
    expect(md).toContain(
      '| [`CLIENT_NOT_FOUND`](#CLIENT_NOT_FOUND) | 404 | Client \\| not found |',
    );
    expect(md).toContain('### <a id="CLIENT_NOT_FOUND"></a>`CLIENT_NOT_FOUND`');
    expect(md).toContain('- Class: `ClientNotFoundError`');
    expect(md).toContain('When the id is unknown.');
  });

  it('lists OptionsError (INVALID_OPTIONS) among the built-in errors', () => {
    const md = renderErrorCatalog([{ heading: 'Built-in', errors: BUILTIN_ERRORS }]);
    expect(md).toContain('<a id="INVALID_OPTIONS"></a>');
    expect(md).toContain('- Class: `OptionsError`');
  });

  it('rejects an entry without defaults with an OptionsError', () => {
    expect(() =>
      renderErrorCatalog([{ heading: 'Bad', errors: [{ name: 'X' } as never] }]),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });

  it('says that clients do not see 5xx messages', () => {
    const md = renderErrorCatalog([{ heading: 'Built-in', errors: BUILTIN_ERRORS }]);
    const internal = md.slice(md.indexOf('<a id="INTERNAL_ERROR">'));
    expect(internal).toContain('Message sent to clients: no');
  });

  it('rejects a code declared in two sections', () => {
    expect(() =>
      renderErrorCatalog([
        { heading: 'A', errors: BUILTIN_ERRORS },
        { heading: 'B', errors: [errors.NotFoundError] },
      ]),
    ).toThrow(OptionsError);
  });
});

describe('docs/errors/catalog.md', () => {
  it('is up to date with the built-in errors (run `pnpm --filter @plinth/errors catalog`)', () => {
    const committed = readFileSync(fileURLToPath(CATALOG_PATH), 'utf8');
    expect(committed).toBe(renderBuiltinCatalog(errors, catalog));
  });

  it('refuses sections that are not an array of { heading, errors } with an OptionsError', () => {
    const render = renderErrorCatalog as unknown as (...args: unknown[]) => string;
    const cases: [unknown[], RegExp][] = [
      [[null], /^renderErrorCatalog: sections must be an array/],
      [[undefined], /^renderErrorCatalog: sections must be an array/],
      [[{ heading: 'x', errors: [] }], /^renderErrorCatalog: sections must be an array/],
      [[[null]], /^renderErrorCatalog: sections\.0 must be an object/],
      [
        [[{ heading: '', errors: null }]],
        /sections\.0\.heading must be .*; sections\.0\.errors must be/,
      ],
      [[[], null], /^renderErrorCatalog: options must be an object$/],
      [[[], 'Catalog'], /^renderErrorCatalog: options must be an object$/],
      [[[], [{ title: 'Catalog' }]], /^renderErrorCatalog: options must be an object$/],
    ];
    for (const [args, message] of cases) {
      expect(() => render(...args)).toThrow(OptionsError);
      expect(() => render(...args)).toThrow(message);
    }
  });
});
