// Where `npm run package` writes the VSIX (out/ is git-ignored); MAS_VSIX overrides it for the tests.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The one platform the VSIX is built for: onnxruntime-node's linux-x64 CPU binaries are the only ones shipped. */
export const VSIX_TARGET = 'linux-x64';

export function vsixPath() {
    if (process.env.MAS_VSIX) return resolve(process.env.MAS_VSIX);
    const { name, version } = JSON.parse(readFileSync('package.json', 'utf8'));
    return resolve('out', `${name}-${version}-${VSIX_TARGET}.vsix`);
}
