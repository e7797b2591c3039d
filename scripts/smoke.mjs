#!/usr/bin/env node
// Consumer smoke test (DESIGN §3): pack every package, install the tarballs with
// npm into a scratch project outside the workspace, require() and import() every
// entry point, and type-check consumer files under moduleResolution node16
// (ESM .mts and CJS .cts) and bundler.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assetEntryPoints, entryPoints, listPackages, root, specifier } from './workspace.mjs';

const keep = process.argv.includes('--keep');
const work = mkdtempSync(join(tmpdir(), 'plinth-smoke-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');
mkdirSync(tarballs);
mkdirSync(project);
const pnpm = join(root, 'node_modules', '.bin', 'pnpm');

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_yes: 'true' },
  });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

const packages = listPackages();
const deps = {};
const optionalPeers = {};
for (const pkg of packages) {
  const before = new Set(readdirSync(tarballs));
  run(pnpm, ['pack', '--pack-destination', tarballs], pkg.dir);
  const file = readdirSync(tarballs).find((f) => !before.has(f));
  deps[pkg.name] = `file:${join(tarballs, file)}`;
  const meta = pkg.manifest.peerDependenciesMeta ?? {};
  for (const [peer, range] of Object.entries(pkg.manifest.peerDependencies ?? {})) {
    // A Plinth package as an optional peer (@plinth/config for ./config subpaths)
    // is already installed from its tarball.
    if (meta[peer]?.optional && !peer.startsWith('@plinth/')) {
      optionalPeers[peer] = pkg.manifest.devDependencies?.[peer] ?? range;
    }
  }
}
// A peer some package requires is installed by npm with that package's range
// (e.g. @opentelemetry/api ^1.10 for telemetry); another package's older dev pin must not replace it.
for (const pkg of packages) {
  const meta = pkg.manifest.peerDependenciesMeta ?? {};
  for (const peer of Object.keys(pkg.manifest.peerDependencies ?? {})) {
    if (!meta[peer]?.optional) delete optionalPeers[peer];
  }
}
console.log(`packed ${packages.length} packages into ${tarballs}`);

writeFileSync(
  join(project, 'package.json'),
  JSON.stringify(
    {
      name: 'plinth-smoke-consumer',
      private: true,
      dependencies: deps,
      overrides: deps,
      devDependencies: { typescript: '5.9.3', '@types/node': '^22.15.0' },
    },
    null,
    2,
  ),
);
const npmFlags = ['--no-audit', '--no-fund', '--loglevel=error'];
run('npm', ['install', ...npmFlags], project);
console.log('installed tarballs with npm (no optional peers)');

const entries = packages.flatMap((p) =>
  entryPoints(p.manifest).map((sub) => ({ pkg: p, sub, spec: specifier(p.name, sub) })),
);

function loadBoth(spec) {
  const script = `
    const cjs = require(${JSON.stringify(spec)});
    import(${JSON.stringify(spec)}).then((esm) => {
      const a = Object.keys(cjs).sort().join(','), b = Object.keys(esm).filter((k) => k !== 'default').sort().join(',');
      if (!a) throw new Error('no exports');
      if (a !== b) throw new Error('CJS and ESM export different names:\\n  cjs: ' + a + '\\n  esm: ' + b);
      console.log(Object.keys(cjs).length);
    }).catch((e) => { console.error(e); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: project, encoding: 'utf8' });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}`.trim() };
}

let failures = 0;
// Roots must load with no optional peer installed.
for (const { spec, sub } of entries.filter((e) => e.sub === '.')) {
  const r = loadBoth(spec);
  console.log(
    `${r.ok ? '✓' : '✗'} require + import ${spec} (no optional peers)${r.ok ? `: ${r.out} exports` : `\n${r.out}`}`,
  );
  if (!r.ok) failures++;
  void sub;
}

if (Object.keys(optionalPeers).length) {
  run(
    'npm',
    ['install', ...npmFlags, ...Object.entries(optionalPeers).map(([n, v]) => `${n}@${v}`)],
    project,
  );
  console.log(`installed optional peers: ${Object.keys(optionalPeers).join(', ')}`);
}
for (const { spec } of entries) {
  const r = loadBoth(spec);
  console.log(
    `${r.ok ? '✓' : '✗'} require + import ${spec}${r.ok ? `: ${r.out} exports` : `\n${r.out}`}`,
  );
  if (!r.ok) failures++;
}

// One ConfigError for every configuration parser, as installed: @plinth/config re-exports
// @plinth/errors' class and @plinth/telemetry's root throws it (each module system on its own:
// an ESM and a CJS copy of a class are never the same object).
if (packages.some((p) => p.name === '@plinth/telemetry')) {
  const check = (load) => `
    ${load}.then(([config, errors, telemetry]) => {
      if (config.ConfigError !== errors.ConfigError) throw new Error('two ConfigError classes');
      try { telemetry.telemetryOptionsFromEnv({ OTEL_TRACES_SAMPLER: 'bogus' }); }
      catch (e) { if (e instanceof config.ConfigError && e.code === 'CONFIG_INVALID') return; throw e; }
      throw new Error('no ConfigError thrown');
    }).catch((e) => { console.error(e); process.exit(1); });`;
  const names = ['@plinth/config', '@plinth/errors', '@plinth/telemetry'];
  for (const [label, load] of [
    ['require', `Promise.resolve(${JSON.stringify(names)}.map((n) => require(n)))`],
    ['import', `Promise.all(${JSON.stringify(names)}.map((n) => import(n)))`],
  ]) {
    const r = spawnSync(process.execPath, ['-e', check(load)], { cwd: project, encoding: 'utf8' });
    console.log(
      `${r.status === 0 ? '✓' : '✗'} ${label}: telemetry's OTEL_* error is @plinth/config's ConfigError${r.status === 0 ? '' : `\n${r.stderr}`}`,
    );
    if (r.status !== 0) failures++;
  }
}

// Asset subpaths (JSON schemas…) must resolve to a file shipped in the tarball.
for (const pkg of packages) {
  for (const sub of assetEntryPoints(pkg.manifest)) {
    const spec = specifier(pkg.name, sub);
    const r = spawnSync(
      process.execPath,
      ['-e', `require('node:fs').readFileSync(require.resolve(${JSON.stringify(spec)}))`],
      { cwd: project, encoding: 'utf8' },
    );
    console.log(
      `${r.status === 0 ? '✓' : '✗'} resolve asset ${spec}${r.status === 0 ? '' : `\n${r.stderr}`}`,
    );
    if (r.status !== 0) failures++;
  }
}

// Type-check consumers: every entry point imported, plus hand-written usage files
// (scripts/smoke/<package>.ts), each compiled as its own module.
const usageDir = join(root, 'scripts', 'smoke');
const usageFiles = readdirSync(usageDir).filter(
  (f) => f.endsWith('.ts') && packages.some((p) => f === `${p.name.split('/')[1]}.ts`),
);
mkdirSync(join(project, 'usage'));
for (const f of usageFiles) {
  const text = readFileSync(join(usageDir, f), 'utf8');
  writeFileSync(join(project, 'usage', f.replace(/\.ts$/, '.mts')), text);
  writeFileSync(join(project, 'usage', f), text);
}
const esmImports = entries.map((e, i) => `import * as m${i} from '${e.spec}';`).join('\n');
const refs = `export const loaded = [${entries.map((_, i) => `m${i}`).join(', ')}];\n`;
writeFileSync(join(project, 'consumer.mts'), `${esmImports}\n${refs}`);
writeFileSync(join(project, 'consumer.ts'), `${esmImports}\n${refs}`);
const cjsImports = entries.map((e, i) => `import c${i} = require('${e.spec}');`).join('\n');
writeFileSync(
  join(project, 'consumer.cts'),
  `${cjsImports}\nexport const loaded = [${entries.map((_, i) => `c${i}`).join(', ')}];\n`,
);
const usageMts = usageFiles.map((f) => `usage/${f.replace(/\.ts$/, '.mts')}`);
const usageTs = usageFiles.map((f) => `usage/${f}`);
const base = { strict: true, noEmit: true, skipLibCheck: false, types: ['node'], target: 'ES2022' };
writeFileSync(
  join(project, 'tsconfig.node16.json'),
  JSON.stringify({
    compilerOptions: { ...base, module: 'node16', moduleResolution: 'node16' },
    files: ['consumer.mts', 'consumer.cts', ...usageMts],
  }),
);
writeFileSync(
  join(project, 'tsconfig.bundler.json'),
  JSON.stringify({
    compilerOptions: { ...base, module: 'esnext', moduleResolution: 'bundler' },
    files: ['consumer.ts', ...usageTs],
  }),
);
const tsc = join(project, 'node_modules', '.bin', 'tsc');
for (const cfg of ['tsconfig.node16.json', 'tsconfig.bundler.json']) {
  const r = spawnSync(tsc, ['-p', cfg], { cwd: project, encoding: 'utf8' });
  const ok = r.status === 0;
  console.log(`${ok ? '✓' : '✗'} tsc -p ${cfg}${ok ? '' : `\n${r.stdout}${r.stderr}`}`);
  if (!ok) failures++;
}

if (!keep) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
if (failures) {
  console.error(`\nsmoke: ${failures} failure(s)`);
  process.exit(1);
}
console.log(
  `\nsmoke: ${entries.length} entry points loaded as ESM and CJS and type-checked under node16 and bundler`,
);
