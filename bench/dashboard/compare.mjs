// Bundles the dashboard comparison benchmark (Node 20 cannot run .ts) and runs it.
// Usage: node bench/dashboard/compare.mjs [--steps N]
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outfile = join(repoRoot, 'bench', 'results', 'dashboard-compare-bench.mjs');
mkdirSync(dirname(outfile), { recursive: true });
await build({
    entryPoints: [join(repoRoot, 'bench', 'dashboard', 'compare.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'warning',
    external: ['playwright-core', 'esbuild'],
    banner: {
        js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
});
const result = spawnSync(process.execPath, ['--expose-gc', outfile, ...process.argv.slice(2)], {
    stdio: 'inherit',
    cwd: repoRoot,
});
process.exit(result.status ?? 1);
