import * as esbuild from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * Builds the run reader's worker (analysis/run-dir/worker.ts) into a fresh temporary folder as the extension ships it
 * (out/run-dir-worker.cjs), so tests run the real worker code. The caller removes `dir`.
 */
export async function buildRunDirWorker(prefix: string): Promise<{ dir: string; workerFile: string }> {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    const workerFile = path.join(dir, 'run-dir-worker.cjs');
    await esbuild.build({
        entryPoints: ['analysis/run-dir/worker.ts'],
        outfile: workerFile,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        logLevel: 'error',
    });
    return { dir, workerFile };
}
