import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { AstNode, LangiumDocument, LangiumDocuments } from 'langium';
import type { MasDiagnostic } from '../../../protocol/lsp.js';
import { RUN_SPEC_VERSION, type EdgeSpec, type RunSpec } from '../../../protocol/run-spec.js';
import {
    isAgent,
    isDataset,
    isGraph,
    isModel,
    isMasFile,
    isReward,
    isRole,
    isRubric,
    isTrain,
    type Element,
    type MasFile,
} from '../language/generated/ast.js';
import { compileCriterion } from './compile-judge.js';
import { visibleDocuments } from '../language/scope/imports.js';
import { diagnosticsOf, errorsOnly } from '../language/workspace/diagnostics.js';
import { AgentGraph, flattenEdges } from '../language/graph/graph-analysis.js';
import { compileAgent, compileDataset, compileModel, compileRole } from './compile-declarations.js';
import { compileExpression, CompileInvariantError } from './compile-expression.js';
import { compileTrain, defaultTemperature } from './compile-train.js';
import { compileVerifiers } from './compile-verifiers.js';

/** The compiler's answer: the spec, or the error diagnostics that stopped it. */
export type CompileOutcome = { ok: true; spec: RunSpec } | { ok: false; diagnostics: MasDiagnostic[] };

/** Issue codes of the checks only the compiler makes (what a RunSpec needs beyond a valid file). */
export const COMPILE_CODES = {
    notValidated: 'compile-not-validated',
    missingDeclaration: 'compile-missing-declaration',
    duplicateDeclaration: 'compile-duplicate-declaration',
    ambiguousDataset: 'compile-ambiguous-dataset',
    chainCondition: 'compile-chain-condition',
    invariant: 'compile-internal',
} as const;

function diagnosticAt(
    document: LangiumDocument,
    node: AstNode | undefined,
    code: string,
    message: string,
): MasDiagnostic {
    const range = node?.$cstNode?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return { uri: document.uri.toString(), range, severity: 'error', code, message };
}

/**
 * Compiles a built document (parsed, linked and validated with its imports) to a RunSpec. Refuses
 * when the document or any file it imports has an error, or when a declaration a run needs is
 * missing or ambiguous.
 */
export function compileDocument(document: LangiumDocument, documents: LangiumDocuments): CompileOutcome {
    const root = document.parseResult.value;
    if (!isMasFile(root)) {
        return {
            ok: false,
            diagnostics: [
                diagnosticAt(
                    document,
                    undefined,
                    COMPILE_CODES.notValidated,
                    'The document is not a .mas file; open a .mas file and compile again.',
                ),
            ],
        };
    }
    const visible = visibleDocuments(root, documents);
    if (visible.some((doc) => doc.diagnostics === undefined)) {
        return {
            ok: false,
            diagnostics: [
                diagnosticAt(
                    document,
                    undefined,
                    COMPILE_CODES.notValidated,
                    'The document has not been validated yet; build it with validation before compiling.',
                ),
            ],
        };
    }
    const errors = errorsOnly(diagnosticsOf(visible));
    if (errors.length > 0) return { ok: false, diagnostics: errors };

    const elements = visible.flatMap((doc) => (doc.parseResult.value as MasFile).elements);
    try {
        const imports = visible.slice(1).sort((a, b) => (a.uri.toString() < b.uri.toString() ? -1 : 1));
        const texts = [document, ...imports].map((doc) => doc.textDocument.getText());
        return compileElements(document, root, elements, texts);
    } catch (error) {
        if (!(error instanceof CompileInvariantError)) throw error;
        return {
            ok: false,
            diagnostics: [
                diagnosticAt(
                    document,
                    root,
                    COMPILE_CODES.invariant,
                    `${error.message} Fix the declaration and compile again.`,
                ),
            ],
        };
    }
}

function compileElements(
    document: LangiumDocument,
    root: MasFile,
    elements: Element[],
    texts: string[],
): CompileOutcome {
    const problems: MasDiagnostic[] = [];
    const single = <T extends Element>(items: T[], what: string, example: string): T | undefined => {
        if (items.length === 0) {
            problems.push(
                diagnosticAt(
                    document,
                    undefined,
                    COMPILE_CODES.missingDeclaration,
                    `The workflow has no ${what}; add one (for example \`${example}\`) to this file or a file it imports.`,
                ),
            );
        } else if (items.length > 1) {
            for (const extra of items.slice(1)) {
                problems.push(
                    diagnosticAt(
                        document,
                        extra.$container === root ? extra : undefined,
                        COMPILE_CODES.duplicateDeclaration,
                        `The workflow has ${items.length} ${what} declarations; keep exactly one.`,
                    ),
                );
            }
        }
        return items[0];
    };
    const train = single(elements.filter(isTrain), '`train` block', 'train { algorithm: grpo(group: 4) }');
    const reward = single(elements.filter(isReward), '`reward`', 'reward team: correctness per trajectory');
    const graph = single(elements.filter(isGraph), '`graph` block', 'graph { start -> solver -> end }');
    const datasets = elements.filter(isDataset);
    let dataset = train?.dataset?.ref;
    if (train && !dataset) {
        if (datasets.length === 1) dataset = datasets[0];
        else if (datasets.length === 0)
            single(datasets, '`dataset`', 'dataset tasks from "data/tasks.jsonl" { question: string }');
        else
            problems.push(
                diagnosticAt(
                    document,
                    train,
                    COMPILE_CODES.ambiguousDataset,
                    `The workflow declares ${datasets.length} data sets; say which one to train on with \`dataset: <name>\` in the train block.`,
                ),
            );
    }
    const edges: EdgeSpec[] = [];
    for (const edge of graph ? flattenEdges(graph) : []) {
        const ruled = edge.chain.condition !== undefined || edge.chain.max !== undefined;
        if (ruled && edge.chain.nodes.length > 2) {
            if (edge.index === 0)
                problems.push(
                    diagnosticAt(
                        document,
                        edge.chain,
                        COMPILE_CODES.chainCondition,
                        '`when` and `max` apply to a single edge; split the chain so that the conditional edge stands alone (`a -> b when ...`).',
                    ),
                );
            continue;
        }
        edges.push({
            from: edge.from,
            to: edge.to,
            condition: edge.chain.condition ? compileExpression(edge.chain.condition) : null,
            max: edge.chain.max ?? null,
        });
    }
    if (problems.length > 0 || !train || !reward || !graph || !dataset) return { ok: false, diagnostics: problems };

    const agents = elements.filter(isAgent);
    const temperature = defaultTemperature(train);
    const byName = new Map(agents.map((agent) => [agent.name, agent]));
    const order = new AgentGraph(
        flattenEdges(graph),
        agents.map((a) => a.name),
    ).order();
    const rubric = reward.rubric.ref;
    if (!rubric) throw new CompileInvariantError(`The rubric of reward "${reward.name}" is not resolved.`);
    const spec: RunSpec = {
        version: RUN_SPEC_VERSION,
        workflow: root.workflow ?? basename(document.uri.fsPath).replace(/\.mas$/, ''),
        source: { file: document.uri.fsPath, sha256: sourceHash(texts) },
        datasets: datasets.map(compileDataset),
        models: elements.filter(isModel).map(compileModel),
        roles: elements.filter(isRole).map(compileRole),
        agents: order.map((name) => compileAgent(byName.get(name)!, temperature)),
        graph: { edges },
        rubrics: elements.filter(isRubric).map((r) => ({
            name: r.name,
            criteria: r.criteria.map(compileCriterion),
        })),
        reward: { name: reward.name, rubric: rubric.name, level: reward.level },
        train: compileTrain(train, dataset.name, order.length),
        verifiers: compileVerifiers(elements.filter(isRubric)),
    };
    return { ok: true, spec };
}

/** sha256 over the file's text, then its imports' texts (sorted by URI), each followed by a NUL separator. */
function sourceHash(texts: string[]): string {
    const hash = createHash('sha256');
    for (const text of texts) hash.update(text, 'utf8').update('\0');
    return hash.digest('hex');
}
