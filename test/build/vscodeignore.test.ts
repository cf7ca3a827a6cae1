// .vscodeignore must stay an allow-list: exclude everything first, then only re-include shipped paths.
// The contents of the real VSIX are checked by vsix-contents.test.ts (run by the e2e suite after `npm run package`).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const lines = readFileSync('.vscodeignore', 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

describe('.vscodeignore', () => {
    it('starts by excluding everything', () => {
        expect(lines[0]).toBe('**');
    });

    it('only re-includes, never excludes more', () => {
        expect(lines.slice(1).every((l) => l.startsWith('!'))).toBe(true);
    });

    it('never re-includes sources, tests, node_modules or the trainer venv', () => {
        const forbidden =
            /^!(?:server|client|protocol|analysis|webview|test|bench|grammar|scripts|node_modules|examples|trainer\/\.venv)(?:\/|$)/;
        // The one exception: onnxruntime-node's native binding cannot be bundled (checked in the VSIX by vsix-contents.test.ts).
        const unbundlable = /^!node_modules\/onnxruntime-(?:node|common)\//;
        expect(lines.filter((l) => forbidden.test(l) && !unbundlable.test(l))).toEqual([]);
    });

    it('ships the bundles the manifest points at', () => {
        const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string };
        expect(lines).toContain(`!${manifest.main.replace(/^\.\//, '')}`);
        expect(lines).toContain('!out/server.cjs');
        expect(lines).toContain('!package.json');
        expect(lines).toContain('!LICENSE');
    });
});
