// Bundles and runs the credit estimator / credit transfer benchmark (prints figures; never fails on time).
// Usage: node bench/trajectory/credit-bench.mjs [--decisions=N]
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outfile = join(repoRoot, 'bench', 'results', 'credit-bench.mjs');
mkdirSync(dirname(outfile), { recursive: true });
await build({
    entryPoints: [join(repoRoot, 'bench/trajectory/credit-main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
});
const result = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
