import { InsertTextFormat, CompletionItemKind, type CompletionItem } from 'vscode-languageserver';
import { isDataset, isModel, isRole, type MasFile } from '../generated/ast.js';

/**
 * Snippet placeholder offering the file's declared names (`${3|base,tiny|}`), or `fallback` when it
 * declares none. Names are grammar IDs (letters, digits, `_`), so they need no snippet escaping.
 */
function choice(index: number, names: readonly string[], fallback: string): string {
    const unique = [...new Set(names.filter((name) => /^\w+$/.test(name)))];
    return unique.length > 0 ? `\${${index}|${unique.join(',')}|}` : `\${${index}:${fallback}}`;
}

/**
 * The agent snippet, filled with this file's roles, models and first dataset field. It is offered
 * with the `agent` keyword, so only where the grammar lets a declaration start.
 */
export function agentSnippet(file: MasFile): CompletionItem {
    const roles = file.elements.filter(isRole).map((role) => role.name);
    const models = file.elements.filter(isModel).map((model) => model.name);
    const field = file.elements.filter(isDataset).flatMap((dataset) => dataset.fields)[0]?.name;
    const hole = /^\w+$/.test(field ?? '') ? field! : 'question';
    return {
        label: 'agent …',
        kind: CompletionItemKind.Snippet,
        detail: 'agent declaration',
        documentation: "An agent with one of this file's roles and models and a prompt template.",
        insertTextFormat: InsertTextFormat.Snippet,
        insertText: [
            `agent \${1:solver}: ${choice(2, roles, 'Solver')} {`,
            `  model: ${choice(3, models, 'base')}`,
            `  prompt: "\${4:{{task.${hole}\\}\\}}"`,
            '  max_tokens: ${5:256}',
            '}$0',
        ].join('\n'),
        sortText: '1',
    };
}
