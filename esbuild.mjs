// Bundles the extension client, the language server and the `mas` CLI into out/*.cjs (CommonJS, Node).
// VS Code loads the client with require(), and the CLI is required by bin/mas.cjs, hence cjs.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { webviewBuildOptions } from './scripts/webview-bundles.mjs';

/** Entry points; `optional` ones are skipped with a warning while their source does not exist yet. */
const entries = [
    { in: 'client/src/extension.ts', out: 'client', external: ['vscode'] },
    { in: 'server/src/main.ts', out: 'server', external: [] },
    // The CLI's process entry is cli.ts; main.ts holds the in-process runCli(argv, io).
    { in: 'server/src/cli/cli.ts', out: 'cli', external: [], optional: true },
    // Worker threads of the trajectory view: the run-directory reader and the what-if critic (onnxruntime-node is
    // native, loaded by the worker at run time from node_modules).
    { in: 'analysis/run-dir/worker.ts', out: 'run-dir-worker', external: [] },
    { in: 'client/src/onnx/critic-worker.ts', out: 'critic-worker', external: ['onnxruntime-node'] },
];

const watch = process.argv.includes('--watch');
const contexts = [];
for (const entry of entries) {
    if (!existsSync(entry.in)) {
        if (entry.optional) {
            console.warn(`esbuild: skipping ${entry.in} (not written yet)`);
            continue;
        }
        throw new Error(`esbuild: entry ${entry.in} is missing`);
    }
    contexts.push(
        await esbuild.context({
            entryPoints: { [entry.out]: entry.in },
            outdir: 'out',
            outExtension: { '.js': '.cjs' },
            bundle: true,
            platform: 'node',
            format: 'cjs',
            target: 'node20',
            sourcemap: true,
            minify: false,
            external: entry.external,
            logLevel: 'warning',
            // import.meta.url has no meaning in a cjs bundle; map it to the bundle's own file URL.
            define: { 'import.meta.url': 'importMetaUrl' },
            banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
        }),
    );
}
// The webviews are browser bundles (iife) with their CSS: out/webview/*.js + *.css.
contexts.push(await esbuild.context(webviewBuildOptions()));
if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
} else {
    await Promise.all(contexts.map((c) => c.rebuild()));
    await Promise.all(contexts.map((c) => c.dispose()));
}
