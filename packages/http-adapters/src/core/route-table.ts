import { invalidOptions } from '@plinth/errors';
import type { RouteDefinition } from './route.js';

const TEMPLATE = /^(\/(:[A-Za-z_][A-Za-z0-9_]*|[A-Za-z0-9._~-]+))+\/?$|^\/$/;

interface Entry {
  readonly path: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly methods: Set<string>;
}

/** Routes grouped by template, matched by the core so both frameworks agree on 404/405 and params. */
export interface RouteTable {
  /** Methods allowed on `path` (HEAD added for GET), or empty when no route matches. */
  allowed(path: string): readonly string[];
  /**
   * Decoded params of `path` under `template`, or undefined when the path does not
   * match it (an empty parameter); throws URIError on a bad escape.
   */
  params(template: string, path: string): Record<string, string> | undefined;
}

function compile(path: string): Pick<Entry, 'pattern' | 'names'> {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((seg) => {
      if (!seg.startsWith(':')) return seg.replace(/[.]/g, '\\.');
      names.push(seg.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), names };
}

/** Check templates and methods once at startup; a bad template is a wiring bug (500-class). */
export function createRouteTable(routes: readonly RouteDefinition[], prefix = ''): RouteTable {
  const byPath = new Map<string, Entry>();
  routes.forEach((route, i) => {
    if (typeof route?.path !== 'string' || !TEMPLATE.test(route.path)) {
      throw invalidOptions('http-adapters routes', {
        path: `routes.${i}.path`,
        message:
          'must be "/" followed by static segments or :name parameters (one optional trailing slash)',
      });
    }
    const path = prefix + route.path;
    const entry = byPath.get(path) ?? {
      path,
      ...compile(path),
      methods: new Set(),
    };
    if (entry.methods.has(route.method)) {
      throw invalidOptions('http-adapters routes', {
        path: `routes.${i}`,
        message: 'declares a method and path that another route already declares',
      });
    }
    entry.methods.add(route.method);
    if (route.method === 'GET') entry.methods.add('HEAD');
    byPath.set(path, entry);
  });
  const entries = [...byPath.values()];
  return {
    allowed(path) {
      const out = new Set<string>();
      for (const e of entries) if (e.pattern.test(path)) for (const m of e.methods) out.add(m);
      return [...out].sort();
    },
    params(template, path) {
      const e = byPath.get(template);
      const match = e?.pattern.exec(path);
      if (!e || !match) return undefined;
      const out: Record<string, string> = {};
      e.names.forEach((name, i) => {
        out[name] = decodeURIComponent(match[i + 1] as string);
      });
      return out;
    },
  };
}
