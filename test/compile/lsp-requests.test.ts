import { DocumentState, EmptyFileSystem, URI } from 'langium';
import { parseHelper } from 'langium/test';
import { describe, expect, it } from 'vitest';
import {
    answerCompileRequest,
    answerGraphRequest,
    handleCompileRequest,
    handleGraphRequest,
} from '../../server/src/handlers/lsp-requests.js';
import { createMasServices } from '../../server/src/language/mas-module.js';
import type { MasFile } from '../../server/src/language/generated/ast.js';
import { VALID_TEAM } from '../cli/cli-helpers.js';

/** VALID_TEAM split in two unbuilt documents: its models and roles in a library, the rest importing it. */
function teamImportingLibrary() {
    const { shared } = createMasServices(EmptyFileSystem);
    const factory = shared.workspace.LangiumDocumentFactory;
    const declaresShared = (line: string) => /^(model|role) /.test(line);
    const library = factory.fromString(
        VALID_TEAM.split('\n').filter(declaresShared).join('\n'),
        URI.parse('file:///ws/common/lib.mas'),
    );
    const [header, ...body] = VALID_TEAM.split('\n').filter((line) => !declaresShared(line));
    const main = factory.fromString(
        [header, 'import "../common/lib.mas"', ...body].join('\n'),
        URI.parse('file:///ws/team/team.mas'),
    );
    shared.workspace.LangiumDocuments.addDocument(library);
    shared.workspace.LangiumDocuments.addDocument(main);
    return { shared, library, main };
}

describe('mas/compile and mas/graph handlers', () => {
    it('compile an open document to a spec, and refuse a broken one with diagnostics', async () => {
        const { Mas, shared } = createMasServices(EmptyFileSystem);
        const parse = parseHelper<MasFile>(Mas);
        const good = await parse(VALID_TEAM, { validation: true, documentUri: 'file:///ws/team.mas' });
        const result = handleCompileRequest({ uri: good.uri.toString() }, shared);
        expect('spec' in result && result.spec.agents.map((a) => a.name)).toEqual(['asker', 'answerer']);
        expect('spec' in result && result.spec.datasets[0]!.path).toBe('/ws/tasks.jsonl');

        const bad = await parse('agent x: Nope { }', { validation: true, documentUri: 'file:///ws/bad.mas' });
        const refused = handleCompileRequest({ uri: bad.uri.toString() }, shared);
        expect('diagnostics' in refused && refused.diagnostics.map((d) => d.code)).toContain('linking-error');

        const unknown = handleCompileRequest({ uri: 'file:///ws/closed.mas' }, shared);
        expect('diagnostics' in unknown && unknown.diagnostics[0]!.message).toContain('open the file in the editor');
    });

    it('return the graph model of an open document, or null', async () => {
        const { Mas, shared } = createMasServices(EmptyFileSystem);
        const document = await parseHelper<MasFile>(Mas)(VALID_TEAM, {
            validation: true,
            documentUri: 'file:///ws/team.mas',
        });
        expect(handleGraphRequest({ uri: document.uri.toString() }, shared)?.nodes).toHaveLength(4);
        expect(handleGraphRequest({ uri: 'file:///ws/none.mas' }, shared)).toBeNull();
    });

    // Langium validates open documents first and announces each as it finishes, so a request that waited only for
    // its own document compiled while the imported file was still unvalidated ("not validated yet" on Start Training).
    it('answer only once the imported files are validated too, not just the requested document', async () => {
        const { shared, library, main } = teamImportingLibrary();
        // The requested document is built first, as Langium orders an open editor's document.
        const building = shared.workspace.DocumentBuilder.build([main, library], { validation: true });
        const compiled = answerCompileRequest({ uri: main.uri.toString() }, shared);
        const graph = answerGraphRequest({ uri: main.uri.toString() }, shared);
        const result = await compiled;
        expect(library.state, 'the answer came after the imported file was validated').toBe(DocumentState.Validated);
        expect('diagnostics' in result ? result.diagnostics.map((d) => d.message) : []).toEqual([]);
        expect('spec' in result && result.spec.agents.map((a) => a.name)).toEqual(['asker', 'answerer']);
        expect((await graph)?.nodes).toHaveLength(4);
        await building;
    });

    it('answer a file Langium has not loaded at once, with the reason', async () => {
        const { shared } = createMasServices(EmptyFileSystem);
        const result = await answerCompileRequest({ uri: 'file:///ws/closed.mas' }, shared);
        expect('diagnostics' in result && result.diagnostics[0]!.message).toContain('open the file in the editor');
    });

    // Langium's first workspace build skips validation; when it ran after the editor's document had been validated,
    // the imported file stayed unvalidated with no build left to validate it, until the next edit.
    it('validate an imported file that no build would validate before answering', async () => {
        const { shared, library, main } = teamImportingLibrary();
        await shared.workspace.DocumentBuilder.build([library], {}); // the workspace build: no validation
        await shared.workspace.DocumentBuilder.build([main], { validation: true }); // the editor's document
        expect(library.state).toBe(DocumentState.IndexedReferences);

        const result = await answerCompileRequest({ uri: main.uri.toString() }, shared);
        expect('diagnostics' in result ? result.diagnostics.map((d) => d.message) : []).toEqual([]);
        expect(library.state).toBe(DocumentState.Validated);
    });
});
