// `npm run package`: bundles the extension (esbuild) and packs it with @vscode/vsce into out/ as a
// platform-specific VSIX. The files come from the allow-list in .vscodeignore; the only node_modules that
// ship are onnxruntime-node's runtime files and its linux-x64 CPU binaries (it cannot be bundled).
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { npxCommand, run } from './lib.mjs';
import { VSIX_TARGET, vsixPath } from './vsix-path.mjs';

export function packageVsix() {
    if (`${process.platform}-${process.arch}` !== VSIX_TARGET) {
        console.error(
            `package-vsix: the VSIX ships onnxruntime binaries for ${VSIX_TARGET} only; run it on ${VSIX_TARGET} (this is ${process.platform}-${process.arch}).`,
        );
        process.exit(1);
    }
    if (run(process.execPath, ['esbuild.mjs']) !== 0) process.exit(1);
    const out = vsixPath();
    // --no-update-package-json etc. are not needed: no version argument is passed, so package.json is untouched.
    const status = run(npxCommand, [
        'vsce',
        'package',
        '--target',
        VSIX_TARGET,
        '--out',
        out,
        '--allow-missing-repository',
        '--no-rewrite-relative-links',
    ]);
    if (status !== 0 || !existsSync(out)) {
        console.error('package-vsix: vsce failed (see above).');
        process.exit(1);
    }
    const bytes = statSync(out).size;
    console.log(`VSIX: ${out} — ${bytes} bytes (${(bytes / 2 ** 20).toFixed(2)} MiB)`);
    return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) packageVsix();
