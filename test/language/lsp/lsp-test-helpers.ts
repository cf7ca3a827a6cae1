import { EmptyFileSystem, type LangiumDocument } from 'langium';
import { parseHelper } from 'langium/test';
import { createMasServices } from '../../../server/src/language/mas-module.js';
import type { MasFile } from '../../../server/src/language/generated/ast.js';

/**
 * One set of services per test file: the language tests run without VS Code. `hoverAt` gives the hover's markdown at
 * an offset ('' when there is none); `labelsAt` the completion labels at the `<|>` marker.
 */
export function createTestServices() {
    const { Mas, shared } = createMasServices(EmptyFileSystem);
    const parse = parseHelper<MasFile>(Mas);
    async function hoverAt(text: string, offset: number): Promise<string> {
        const document = await parse(text);
        const hover = await Mas.lsp.HoverProvider!.getHoverContent(document, {
            ...documentParams(document),
            position: document.textDocument.positionAt(offset),
        });
        const contents = hover?.contents;
        return contents && typeof contents === 'object' && 'value' in contents ? contents.value : '';
    }
    async function labelsAt(textWithCursor: string): Promise<string[]> {
        const cursor = textWithCursor.indexOf('<|>');
        const document = await parse(textWithCursor.replace('<|>', ''));
        const list = await Mas.lsp.CompletionProvider!.getCompletion(document, {
            ...documentParams(document),
            position: document.textDocument.positionAt(cursor),
        });
        return (list?.items ?? []).map((item) => item.label);
    }
    return { services: Mas, shared, parse, hoverAt, labelsAt };
}

/** `{ textDocument }` for a request on a parsed document. */
export function documentParams(document: LangiumDocument) {
    return { textDocument: { uri: document.textDocument.uri } };
}

/** The workflow of DESIGN.md §2, laid out as the formatter lays it out. */
export const DESIGN_EXAMPLE = `workflow MathTeam

dataset train from "data/arith.jsonl" { question: string  answer: number }

model base {
  from: hf "Qwen/Qwen2.5-0.5B-Instruct"
  adapter: lora(rank: 16, alpha: 32)
}

role Planner "Breaks the problem into steps"
role Solver "Follows the plan and states the answer"
role Verifier "Accepts the solution or asks for a revision"

agent planner: Planner { model: base  prompt: "Plan: {{task.question}}"  max_tokens: 128 }
agent solver: Solver { model: base  prompt: "{{task.question}}\\nPlan: {{planner.output}}" }
agent verifier: Verifier { model: base adapter separate  prompt: "Check {{solver.output}}: ACCEPT or REVISE" }

graph {
  start -> planner -> solver -> verifier
  verifier -> solver when verifier.output contains "REVISE" max 2
  verifier -> end when verifier.output contains "ACCEPT"
}

rubric correctness {
  criterion answer weight 0.7: number(extract(solver.output, /\\\\boxed\\{(-?\\d+)\\}/)) == task.answer
  criterion format weight 0.2: solver.output matches /\\\\boxed\\{/
  criterion brevity weight 0.1: length(solver.output) <= 400
}

reward team: correctness per trajectory

train {
  algorithm: grpo(group: 8, clip: 0.2, kl: 0.01)
  credit: counterfactual(fanout: [2, 4])
  steps: 200
  batch: 16
  lr: 2e-5
  seed: 7
}
`;
