// Helpers shared by the repo scripts: which packages exist and what they export.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Publishable packages (packages/*) that have a source entry, in dependency order. */
export function listPackages() {
  const dir = join(root, 'packages');
  const pkgs = readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'package.json')))
    .map((name) => {
      const path = join(dir, name);
      const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'));
      return { name: manifest.name, dir: path, manifest };
    })
    .filter((p) => !p.manifest.private && existsSync(join(p.dir, 'src', 'index.ts')));
  // Topological order so dependencies come first.
  const byName = new Map(pkgs.map((p) => [p.name, p]));
  const out = [];
  const seen = new Set();
  const visit = (p) => {
    if (seen.has(p.name)) return;
    seen.add(p.name);
    for (const dep of Object.keys(p.manifest.dependencies ?? {})) {
      const d = byName.get(dep);
      if (d) visit(d);
    }
    out.push(p);
  };
  for (const p of pkgs) visit(p);
  return out;
}

/** Code subpaths a package exports (with import/require conditions): ['.', './kms', …]. */
export function entryPoints(manifest) {
  return Object.entries(manifest.exports ?? { '.': {} })
    .filter(([, target]) => typeof target === 'object' && target !== null)
    .map(([subpath]) => subpath);
}

/** Non-code subpaths (JSON schemas, …) exported as plain file targets, excluding package.json. */
export function assetEntryPoints(manifest) {
  return Object.entries(manifest.exports ?? {})
    .filter(([subpath, target]) => typeof target === 'string' && subpath !== './package.json')
    .map(([subpath]) => subpath);
}

/** `@plinth/x` + `./kms` → `@plinth/x/kms`. */
export function specifier(name, subpath) {
  return subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
}
