import { GrammarUtils, type URI } from 'langium';
import type { Range } from 'vscode-languageserver';
import type { Verifier } from '../generated/ast.js';
import { closestName } from '../catalog/parameters.js';
import type { QuickFix } from './diagnostic-data.js';

/** The Python function a verifier calls: `function <name>`, else the verifier's own name. */
export function pythonFunctionOf(verifier: Verifier): string {
    return verifier.function ?? verifier.name;
}

/** A function that states the contract and fails until it is written (the trainer then scores the criterion null). */
export function pythonStub(verifier: Verifier): string {
    const params = verifier.params.map((param) => `${param.name}`).join(', ');
    const doc = verifier.params.map((param) => `${param.name}: ${param.type}`).join(', ');
    return [
        `def ${pythonFunctionOf(verifier)}(${params}):`,
        `    """Verifier \`${verifier.name}(${doc}) -> ${verifier.returns}\`: return a ${verifier.returns === 'bool' ? 'bool' : 'float'}."""`,
        `    raise NotImplementedError("write the verifier ${verifier.name}")`,
        '',
    ].join('\n');
}

/** "Create verifiers.py with a stub": the file and its one function. */
export function missingFileFix(verifier: Verifier, resolved: URI): QuickFix {
    const start = { line: 0, character: 0 };
    return {
        title: `Create ${verifier.file} with a stub \`def ${pythonFunctionOf(verifier)}\``,
        createFiles: [resolved.toString()],
        edits: [{ uri: resolved.toString(), range: { start, end: start }, newText: pythonStub(verifier) }],
        preferred: true,
    };
}

/** "Call 'x' instead" when a defined function is a near miss, and "add a stub `def`" at the end of the file. */
export function functionFixes(
    verifier: Verifier,
    wanted: string,
    defined: readonly string[],
    resolved: URI,
    text: string,
): QuickFix[] {
    const fixes: QuickFix[] = [];
    const suggestion = closestName(wanted, defined);
    const nameRange = rangeOf(verifier, 'function') ?? endOf(rangeOf(verifier, 'file'));
    if (suggestion && nameRange) {
        fixes.push({
            title: `Call '${suggestion}' instead`,
            edits: [{ range: nameRange, newText: verifier.function ? suggestion : ` function ${suggestion}` }],
            preferred: true,
        });
    }
    const lines = text.split(/\r\n|\r|\n/);
    const end = { line: lines.length - 1, character: lines[lines.length - 1]!.length };
    const separator = text.length === 0 ? '' : text.endsWith('\n') ? '\n' : '\n\n';
    fixes.push({
        title: `Add a stub \`def ${wanted}\` to ${verifier.file}`,
        edits: [
            { uri: resolved.toString(), range: { start: end, end }, newText: `${separator}${pythonStub(verifier)}` },
        ],
    });
    return fixes;
}

function rangeOf(verifier: Verifier, property: 'function' | 'file'): Range | undefined {
    return GrammarUtils.findNodeForProperty(verifier.$cstNode, property)?.range;
}

function endOf(range: Range | undefined): Range | undefined {
    return range && { start: range.end, end: range.end };
}
