// Bundles the TypeScript benchmark (Node 20 cannot run .ts, and tsx is not a dependency) and runs it.
// Usage: node bench/run.mjs [--quick] [--only=full,edit,single,completion,cold,errors,json]
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(repoRoot, 'bench', 'results', 'language-bench.mjs');
mkdirSync(dirname(outfile), { recursive: true });
await build({
    entryPoints: [join(repoRoot, 'bench', 'language', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'warning',
    banner: {
        js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
});
const result = spawnSync(process.execPath, [outfile, repoRoot, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
