import type { AppErrorDefaults } from './app-error.js';
import { invalidOptions, type OptionIssueInput, requireOptionsObject } from './options-error.js';
import { statusPhrase } from './status.js';

/** Anything with error defaults: a built-in class or a class from `defineErrors`. */
export interface CatalogEntry {
  readonly name: string;
  readonly defaults: AppErrorDefaults;
}

/** One section of the catalog. */
export interface CatalogSection {
  readonly heading: string;
  /** Markdown shown under the heading. */
  readonly description?: string;
  /** Classes, or the object returned by `defineErrors`. */
  readonly errors: Iterable<CatalogEntry> | Readonly<Record<string, CatalogEntry>>;
}

/** Options for `renderErrorCatalog`. */
export interface CatalogOptions {
  /** Page title. Default `'Error catalog'`. */
  title?: string;
  /** Markdown paragraph under the title. Default: none. */
  intro?: string;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A section the renderer can read, checked before any output is built. */
function checkSection(section: unknown, index: number): void {
  const s = section as Partial<CatalogSection> | null;
  const path = `sections.${index}`;
  if (typeof s !== 'object' || s === null) {
    throw invalidOptions('renderErrorCatalog', {
      path,
      message: 'must be an object with heading and errors',
    });
  }
  const issues: OptionIssueInput[] = [];
  if (typeof s.heading !== 'string' || s.heading === '') {
    issues.push({ path: `${path}.heading`, message: 'must be a non-empty string' });
  }
  if (typeof s.errors !== 'object' || s.errors === null) {
    issues.push({
      path: `${path}.errors`,
      message: 'must be a list of error classes or the object returned by defineErrors',
    });
  }
  if (issues.length > 0) throw invalidOptions('renderErrorCatalog', issues);
}

function entriesOf(section: CatalogSection): CatalogEntry[] {
  const { errors } = section;
  const list =
    Symbol.iterator in Object(errors)
      ? [...(errors as Iterable<CatalogEntry>)]
      : Object.values(errors as Record<string, CatalogEntry>);
  for (const entry of list) {
    if (typeof entry?.defaults?.code !== 'string') {
      throw invalidOptions(
        'renderErrorCatalog',
        `an entry of "${section.heading}" has no defaults`,
      );
    }
  }
  return list;
}

function renderEntry(entry: CatalogEntry): string[] {
  const d = entry.defaults;
  const exposed = d.expose ?? d.status < 500;
  const lines = [
    `### <a id="${d.code}"></a>\`${d.code}\``,
    '',
    `- Status: ${d.status} ${statusPhrase(d.status)}`,
    `- Class: \`${entry.name}\``,
    `- Title: ${d.title}`,
    `- Default message: ${d.message}`,
    `- Severity: ${d.severity ?? (d.status >= 500 ? 'error' : 'info')}`,
    `- Message sent to clients: ${exposed && d.status < 500 ? 'yes' : 'no (clients see the title)'}`,
  ];
  if (d.description) lines.push('', d.description.trim());
  lines.push('');
  return lines;
}

/**
 * Render a Markdown error catalog: per section a summary table, then one
 * entry per code with an HTML anchor named after the code, so a problem
 * `type` of `<catalog URL>#CODE` (`typeBase: '<catalog URL>#'`) links to it.
 * Throws an `OptionsError` when two sections declare the same code, and for
 * `sections` that is not an array of `{ heading, errors }` (or an entry
 * without `defaults`).
 *
 * @example
 * ```ts
 * import { BUILTIN_ERRORS, defineErrors } from '@plinth/errors';
 * import { renderErrorCatalog } from '@plinth/errors/catalog';
 *
 * const Errors = defineErrors({ CLIENT_NOT_FOUND: { status: 404, title: 'Client not found' } });
 * const markdown = renderErrorCatalog([
 *   { heading: 'Clients API', errors: Errors },
 *   { heading: 'Platform', errors: BUILTIN_ERRORS },
 * ]);
 * ```
 */
export function renderErrorCatalog(
  sections: readonly CatalogSection[],
  options: CatalogOptions = {},
): string {
  if (!Array.isArray(sections)) {
    throw invalidOptions('renderErrorCatalog', {
      path: 'sections',
      message: 'must be an array of { heading, errors }',
    });
  }
  requireOptionsObject(options, 'renderErrorCatalog');
  sections.forEach(checkSection);
  const seen = new Set<string>();
  const out = [`# ${options.title ?? 'Error catalog'}`, ''];
  if (options.intro) out.push(options.intro.trim(), '');
  for (const section of sections) {
    const list = entriesOf(section);
    out.push(`## ${section.heading}`, '');
    if (section.description) out.push(section.description.trim(), '');
    out.push('| Code | Status | Title | Default message |', '| --- | --- | --- | --- |');
    for (const { defaults: d } of list) {
      if (seen.has(d.code)) {
        throw invalidOptions('renderErrorCatalog', `code ${d.code} is declared twice`);
      }
      seen.add(d.code);
      out.push(
        `| [\`${d.code}\`](#${d.code}) | ${d.status} | ${cell(d.title)} | ${cell(d.message)} |`,
      );
    }
    out.push('');
    for (const entry of list) out.push(...renderEntry(entry));
  }
  return `${out.join('\n').trimEnd()}\n`;
}
