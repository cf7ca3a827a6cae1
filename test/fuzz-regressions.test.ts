import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmptyFileSystem } from 'langium';
import { parseHelper } from 'langium/test';
import { describe, expect, it } from 'vitest';
import { createMasServices } from '../server/src/language/mas-module.js';
import { runPipeline } from './fuzz/pipeline.js';

const regressionDir = join(import.meta.dirname, 'fixtures', 'fuzz-regressions');
const regressionFiles = readdirSync(regressionDir)
    .filter((file) => file.endsWith('.mas'))
    .sort();

describe('fuzz regressions', () => {
    // Shared across files on purpose: a crash must not leave the services broken for the next document.
    const services = createMasServices(EmptyFileSystem);

    it.each(regressionFiles)('%s goes through the whole pipeline without an error', async (file) => {
        const text = readFileSync(join(regressionDir, file), 'utf8');
        const report = await runPipeline(services, text, file, 1);
        expect(report.problems).toEqual([]);
    });

    it('reports nesting beyond the limit as a diagnostic and keeps parsing later documents', async () => {
        const deep = await parseHelper(services.Mas)(
            readFileSync(join(regressionDir, 'deep-parentheses.mas'), 'utf8'),
            { validation: true },
        );
        expect(deep.diagnostics?.map((d) => d.message).join('\n')).toContain('Nesting deeper than');
        const next = await parseHelper(services.Mas)('role Planner "plans"', { validation: true });
        expect(next.parseResult.parserErrors).toEqual([]);
        expect(next.parseResult.lexerErrors).toEqual([]);
    });
});
