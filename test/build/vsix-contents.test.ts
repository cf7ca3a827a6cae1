// The packaged VSIX holds only what the installed extension needs. Run by the e2e suite right after
// `npm run package` (scripts/test-e2e.mjs), so it always checks a fresh VSIX; kept out of the unit run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigure } from '../e2e/harness/figures.js';
// @ts-expect-error: a plain .mjs script shared with the packaging script, no type declarations.
import { vsixPath } from '../../scripts/vsix-path.mjs';

/** Everything a VSIX may hold; anything else (sources, tests, fixtures, maps, bundled node_modules) fails. */
const ALLOWED: RegExp[] = [
    /^\[Content_Types\]\.xml$/,
    /^extension\.vsixmanifest$/,
    /^extension\/(?:package\.json|readme\.md|changelog\.md|LICENSE\.txt|language-configuration\.json)$/,
    /^extension\/out\/[\w-]+\.cjs$/, // esbuild bundles: client, server, cli, workers
    /^extension\/out\/webview\/[\w./-]+\.(?:js|css)$/, // webview bundles
    /^extension\/(?:syntaxes|snippets)\/[\w.-]+\.json$/,
    /^extension\/media\/[\w./-]+\.(?:svg|png|css|js)$/,
    /^extension\/media\/walkthrough\/[\w.-]+\.md$/, // the getting-started walkthrough's pages
    /^extension\/trainer\/(?:pyproject\.toml|README\.md|mas_trainer\/[\w/]+\.py)$/,
    /^extension\/trainer\/mas_trainer\/credit\/methods\.json$/, // the generated credit-method registry
    /^extension\/trainer\/mas_trainer\/model_defaults\.json$/, // the generated model defaults
    /^extension\/node_modules\/onnxruntime-(?:node|common)\/package\.json$/,
    /^extension\/node_modules\/onnxruntime-node\/dist\/\w+\.js$/,
    /^extension\/node_modules\/onnxruntime-node\/bin\/napi-v6\/linux\/x64\/(?:onnxruntime_binding\.node|libonnxruntime\.so\.1)$/,
    /^extension\/node_modules\/onnxruntime-common\/dist\/cjs\/[\w/-]+\.js$/,
    /^extension\/node_modules\/onnxruntime-common\/dist\/cjs\/package\.json$/, // {"type": "commonjs"}
];

const REQUIRED = [
    'extension/package.json',
    'extension/media/mas-studio.svg', // the activity-bar container's icon
    'extension/out/client.cjs',
    'extension/out/server.cjs',
    'extension/syntaxes/mas.tmLanguage.json',
    'extension/trainer/mas_trainer/credit/methods.json',
    'extension/trainer/mas_trainer/model_defaults.json',
    'extension/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
    'extension/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1',
];

const vsix: string = vsixPath();
let entries: string[] = [];
let extracted = '';

beforeAll(() => {
    if (!existsSync(vsix))
        throw new Error(`${vsix} does not exist: run \`npm run package\` first (npm run test:e2e does).`);
    entries = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' })
        .split('\n')
        .filter((e) => e && !e.endsWith('/'));
    recordFigure(
        'VSIX size',
        statSync(vsix).size,
        `bytes (${(statSync(vsix).size / 2 ** 20).toFixed(2)} MiB, ${entries.length} files)`,
    );
});

afterAll(() => {
    if (extracted) rmSync(extracted, { recursive: true, force: true });
});

describe('VSIX contents', () => {
    it('holds nothing outside the allow-list', () => {
        expect(entries.filter((e) => !ALLOWED.some((re) => re.test(e)))).toEqual([]);
    });

    it('holds the bundles, the grammar and the linux-x64 onnxruntime binaries', () => {
        expect(REQUIRED.filter((r) => !entries.includes(r))).toEqual([]);
    });

    it('ships no onnxruntime binaries for other platforms and no GPU providers', () => {
        expect(
            entries.filter(
                (e) => /onnxruntime-node\/bin\/(?!napi-v6\/linux\/x64\/)/.test(e) || /cuda|tensorrt|DirectML/i.test(e),
            ),
        ).toEqual([]);
    });

    it('ships every bundle the build wrote to out/ (a missing one breaks the installed extension)', () => {
        const built = readdirSync('out')
            .filter((f) => f.endsWith('.cjs'))
            .map((f) => `extension/out/${f}`);
        const webviews = existsSync('out/webview')
            ? readdirSync('out/webview')
                  .filter((f) => /\.(?:js|css)$/.test(f))
                  .map((f) => `extension/out/webview/${f}`)
            : [];
        expect(built).toContain('extension/out/client.cjs');
        expect(
            [...built, ...webviews].filter((f) => !entries.includes(f)),
            'add them to .vscodeignore (or delete stale files in out/)',
        ).toEqual([]);
    });

    it('declares the target platform and the manifest main that exists inside', () => {
        const manifest = execFileSync('unzip', ['-p', vsix, 'extension.vsixmanifest'], { encoding: 'utf8' });
        expect(manifest).toMatch(/TargetPlatform="linux-x64"/);
        const pkg = JSON.parse(execFileSync('unzip', ['-p', vsix, 'extension/package.json'], { encoding: 'utf8' })) as {
            main: string;
        };
        expect(entries).toContain(`extension/${pkg.main.replace(/^\.\//, '')}`);
    });

    it('loads the shipped onnxruntime-node from the unpacked VSIX alone, on the CPU', () => {
        extracted = mkdtempSync(join(tmpdir(), 'mas-vsix-'));
        execFileSync('unzip', ['-q', vsix, 'extension/node_modules/*', '-d', extracted]);
        const moduleDir = join(extracted, 'extension', 'node_modules', 'onnxruntime-node');
        // A fresh process with NODE_PATH cleared, so nothing outside the VSIX can satisfy a require.
        const script = `const ort = require(${JSON.stringify(moduleDir)});
            process.stdout.write(JSON.stringify({ backends: ort.listSupportedBackends().map((b) => b.name), tensor: typeof ort.Tensor }));`;
        const out = execFileSync(process.execPath, ['-e', script], {
            cwd: extracted,
            encoding: 'utf8',
            env: { PATH: process.env.PATH ?? '' },
        });
        const loaded = JSON.parse(out) as { backends: string[]; tensor: string };
        expect(loaded.backends).toContain('cpu');
        expect(loaded.tensor).toBe('function');
        expect(readFileSync(join(moduleDir, 'package.json'), 'utf8')).toMatch(/"name": "onnxruntime-node"/);
    });
});
