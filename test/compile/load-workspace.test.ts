import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findMasFiles } from '../../server/src/language/workspace/find-mas-files.js';
import { loadMasFiles } from '../../server/src/language/workspace/load-workspace.js';
import { diagnosticsOf } from '../../server/src/language/workspace/diagnostics.js';
import { folderWith } from '../cli/cli-helpers.js';

describe('workspace loader', () => {
    it('loads transitive imports once, even through an import cycle', async () => {
        const dir = folderWith({
            'main.mas': 'import "lib/a.mas"\nrole Main',
        });
        mkdirSync(join(dir, 'lib'));
        writeFileSync(join(dir, 'lib/a.mas'), 'import "b"\nrole A');
        writeFileSync(join(dir, 'lib/b.mas'), 'import "a.mas"\nrole B');
        const workspace = await loadMasFiles([join(dir, 'main.mas')]);
        expect(workspace.roots.map((d) => d.uri.path.split('/').pop())).toEqual(['main.mas']);
        expect(workspace.all.map((d) => d.uri.path.split('/').pop()).sort()).toEqual(['a.mas', 'b.mas', 'main.mas']);
        expect(workspace.problems).toEqual([]);
        expect(workspace.all.every((d) => d.diagnostics !== undefined)).toBe(true);
    });

    it('resolves names through imports and leaves a missing import to the validator', async () => {
        const dir = folderWith({
            'main.mas':
                'import "roles.mas"\nimport "absent.mas"\nmodel m { from: hf "x" }\nagent a: Shared { model: m }',
            'roles.mas': 'role Shared',
        });
        const workspace = await loadMasFiles([join(dir, 'main.mas')]);
        expect(workspace.all).toHaveLength(2);
        expect(diagnosticsOf(workspace.all).filter((d) => d.code === 'linking-error')).toEqual([]);
    });

    it('reports unreadable paths as problems and keeps the readable files', async () => {
        const dir = folderWith({ 'ok.mas': 'role R' });
        const workspace = await loadMasFiles([join(dir, 'ok.mas'), join(dir, 'gone.mas'), dir]);
        expect(workspace.roots).toHaveLength(1);
        expect(workspace.problems.map((p) => p.message)).toEqual([
            `${join(dir, 'gone.mas')} does not exist; check the path.`,
            `${dir} is a directory; pass a .mas file.`,
        ]);
    });

    it('finds .mas files recursively in sorted order, skipping hidden and dependency folders', async () => {
        const dir = folderWith({ 'b.mas': '', 'a.mas': '', 'readme.md': '' });
        for (const sub of ['sub', '.hidden', 'node_modules']) {
            mkdirSync(join(dir, sub));
            writeFileSync(join(dir, sub, 'x.mas'), '');
        }
        const found = await findMasFiles([dir, join(dir, 'missing')]);
        expect(found.files.map((f) => f.slice(dir.length + 1))).toEqual(['a.mas', 'b.mas', 'sub/x.mas']);
        expect(found.problems.map((p) => p.message)).toEqual([
            `${join(dir, 'missing')} does not exist; pass a .mas file or a folder that contains some.`,
        ]);
    });
});
