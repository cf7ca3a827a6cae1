import { EmptyFileSystem } from 'langium';
import { parseHelper } from 'langium/test';
import { describe, expect, it } from 'vitest';
import { handleCompileRequest, handleGraphRequest } from '../../server/src/compile/lsp-requests.js';
import { createMasServices } from '../../server/src/language/mas-module.js';
import type { MasFile } from '../../server/src/language/generated/ast.js';
import { VALID_TEAM } from '../cli/cli-helpers.js';

describe('mas/compile and mas/graph handlers', () => {
    it('compile an open document to a spec, and refuse a broken one with diagnostics', async () => {
        const { Mas, shared } = createMasServices(EmptyFileSystem);
        const parse = parseHelper<MasFile>(Mas);
        const good = await parse(VALID_TEAM, { validation: true, documentUri: 'file:///ws/team.mas' });
        const result = handleCompileRequest({ uri: good.uri.toString() }, shared);
        expect('spec' in result && result.spec.agents.map(a => a.name)).toEqual(['asker', 'answerer']);
        expect('spec' in result && result.spec.datasets[0]!.path).toBe('/ws/tasks.jsonl');

        const bad = await parse('agent x: Nope { }', { validation: true, documentUri: 'file:///ws/bad.mas' });
        const refused = handleCompileRequest({ uri: bad.uri.toString() }, shared);
        expect('diagnostics' in refused && refused.diagnostics.map(d => d.code)).toContain('linking-error');

        const unknown = handleCompileRequest({ uri: 'file:///ws/closed.mas' }, shared);
        expect('diagnostics' in unknown && unknown.diagnostics[0]!.message).toContain('open the file in the editor');
    });

    it('return the graph model of an open document, or null', async () => {
        const { Mas, shared } = createMasServices(EmptyFileSystem);
        const document = await parseHelper<MasFile>(Mas)(VALID_TEAM, { validation: true, documentUri: 'file:///ws/team.mas' });
        expect(handleGraphRequest({ uri: document.uri.toString() }, shared)?.nodes).toHaveLength(4);
        expect(handleGraphRequest({ uri: 'file:///ws/none.mas' }, shared)).toBeNull();
    });
});
