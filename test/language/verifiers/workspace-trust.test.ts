import { URI } from 'langium';
import type { CodeAction } from 'vscode-languageserver';
import { describe, expect, it } from 'vitest';
import { handleWorkspaceTrust } from '../../../server/src/handlers/workspace-trust.js';
import type { MasFile } from '../../../server/src/language/generated/ast.js';
import { createValidationServices, diagnosticCode } from '../validation/validation-helpers.js';
import { workflowWith } from './verifier-workflow.js';

describe('workspace trust and verifiers (mas/workspaceTrust)', () => {
    it('marks each verifier declaration while the workspace is untrusted, and clears when trust is granted', async () => {
        const { services, shared } = createValidationServices();
        const text = workflowWith(
            'verifier equal(got: string, want: number) -> bool from "verifiers.py"\nverifier other(x: string) -> number from "other.py"',
            '  criterion answer weight 1: equal(solver.output, task.answer)\n',
        );
        const document = shared.workspace.LangiumDocumentFactory.fromString<MasFile>(
            text,
            URI.parse('file:///trust/main.mas'),
        );
        shared.workspace.LangiumDocuments.addDocument(document);
        await shared.workspace.DocumentBuilder.build([document], { validation: true });
        const untrusted = () =>
            (shared.workspace.LangiumDocuments.getDocument(document.uri)!.diagnostics ?? []).filter(
                (d) => diagnosticCode(d) === 'verifier-untrusted',
            );
        // No editor has said anything (the CLI): nothing about trust.
        expect(untrusted()).toEqual([]);

        await handleWorkspaceTrust({ trusted: false }, services, shared);
        expect(untrusted().map((d) => d.message)).toEqual([
            expect.stringMatching(/not trusted, so the verifier 'equal' will not run.*"verifiers\.py"/),
            expect.stringMatching(/verifier 'other'/),
        ]);
        expect(untrusted()[0]!.severity).toBe(2);
        const document2 = shared.workspace.LangiumDocuments.getDocument(document.uri)!;
        const actions = (await services.lsp.CodeActionProvider!.getCodeActions(document2, {
            textDocument: { uri: document2.textDocument.uri },
            range: untrusted()[0]!.range,
            context: { diagnostics: [untrusted()[0]!], triggerKind: 1 },
        })) as CodeAction[];
        expect(actions.map((a) => [a.title, a.command?.command])).toEqual([
            ['Manage Workspace Trust', 'workbench.trust.manage'],
        ]);

        await handleWorkspaceTrust({ trusted: true }, services, shared);
        expect(untrusted()).toEqual([]);
    });

    it('ignores a malformed notification', async () => {
        const { services, shared } = createValidationServices();
        await handleWorkspaceTrust({ trusted: 'no' } as unknown as { trusted: boolean }, services, shared);
        expect(services.workspace.WorkspaceTrust.isTrusted()).toBeUndefined();
    });
});
