// Fails when the committed Langium output (server/src/language/generated) is stale: regenerates into a
// temporary copy of the config and compares file by file. Then the same for the credit-method registry generated
// from the catalogue, with the model defaults (scripts/generate-credit-methods.mjs), and for the README's table of
// diagnostic codes copied from docs/diagnostic-codes.md (scripts/sync-readme-codes.mjs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { staleFiles } from './generate-credit-methods.mjs';
import { syncReadmeCodes } from './sync-readme-codes.mjs';

const config = JSON.parse(readFileSync('langium-config.json', 'utf8'));
const committed = resolve(config.out ?? 'server/src/language/generated');
const temp = mkdtempSync(join(tmpdir(), 'mas-langium-'));
try {
    const tempConfig = join(process.cwd(), `.langium-check-${process.pid}.json`);
    const rel = relative(process.cwd(), temp);
    writeFileSync(tempConfig, JSON.stringify({ ...config, out: rel }, null, 2));
    let result;
    try {
        result = spawnSync(
            process.execPath,
            ['node_modules/langium-cli/bin/langium.js', 'generate', '--file', tempConfig],
            { encoding: 'utf8' },
        );
    } finally {
        rmSync(tempConfig, { force: true });
    }
    if (result.status !== 0) {
        console.error(result.stdout, result.stderr);
        console.error('check:generated: langium generate failed (see above).');
        process.exit(1);
    }
    const list = (dir) =>
        readdirSync(dir, { recursive: true, withFileTypes: true })
            .filter((e) => e.isFile())
            .map((e) => relative(dir, join(e.parentPath ?? e.path, e.name)))
            .sort();
    const fresh = list(temp);
    const old = list(committed);
    const differing = [...new Set([...fresh, ...old])].filter((file) => {
        try {
            return readFileSync(join(temp, file), 'utf8') !== readFileSync(join(committed, file), 'utf8');
        } catch {
            return true;
        }
    });
    if (differing.length > 0) {
        console.error(
            `check:generated: ${differing.join(', ')} in ${relative(process.cwd(), committed)} ` +
                'differ from the grammar. Run `npx langium generate` and commit the result.',
        );
        process.exit(1);
    }
    console.log(`check:generated: ${fresh.length} generated files match the grammar.`);
} finally {
    rmSync(temp, { recursive: true, force: true });
}

const staleRegistry = await staleFiles();
if (staleRegistry.length > 0) {
    console.error(
        `check:generated: ${staleRegistry.join(', ')} differ from the catalogue ` +
            '(server/src/language/catalog/training-catalog.ts). Run `npm run generate:credit` and commit the result.',
    );
    process.exit(1);
}
console.log(`check:generated: the credit-method registry and the model defaults match the catalogue.`);

if ((await syncReadmeCodes({ check: true })) !== 0) process.exit(1);
console.log('check:generated: the README lists the diagnostic codes of docs/diagnostic-codes.md.');
