import { describe, expect, it } from 'vitest';
import { TextDocument } from 'langium';
import { expectFormatting } from 'langium/test';
import { createTestServices, DESIGN_EXAMPLE, documentParams } from './lsp-test-helpers.js';

const { services, parse } = createTestServices();
const formatting = expectFormatting(services);

async function format(text: string): Promise<string> {
    const document = await parse(text);
    const edits = await services.lsp.Formatter!.formatDocument(document, {
        ...documentParams(document),
        options: { tabSize: 4, insertSpaces: false },
    });
    return TextDocument.applyEdits(document.textDocument, edits);
}

/** DESIGN.md §2 as written there: aligned columns, settings several per line, trailing comments. */
const DESIGN_AS_WRITTEN = `workflow MathTeam

import "common.mas"                    // shared models / rubrics across files

dataset train from "data/arith.jsonl" { question: string  answer: number }

model base {
  from: hf "Qwen/Qwen2.5-0.5B-Instruct"   // or: scratch(layers: 2, hidden: 64, vocab: chars) for CPU demos
  adapter: lora(rank: 16, alpha: 32)
}

role Planner  "Breaks the problem into steps"
role Solver   "Follows the plan and states the answer"

agent planner: Planner  { model: base  prompt: "Plan: {{task.question}}"  max_tokens: 128 }
agent verifier: Verifier { model: base adapter separate   prompt: "Check {{solver.output}}: ACCEPT or REVISE" }

graph {
  start -> planner -> solver -> verifier
  verifier -> end    when verifier.output contains "ACCEPT"
}

rubric correctness {
  criterion answer  weight 0.7: number(extract(solver.output, /\\\\boxed\\{(-?\\d+)\\}/)) == task.answer
  criterion format  weight 0.2: solver.output matches /\\\\boxed\\{/
}

reward team: correctness per trajectory     // per trajectory | per turn | per agent

train {
  algorithm: grpo(group: 8, clip: 0.2, kl: 0.01)
  credit: counterfactual(fanout: [2, 4])    // outcome | agent_normalized
  steps: 200  batch: 16  lr: 2e-5  seed: 7  //  | difference | shapley(samples: 64) | critic
}
`;

describe('formatting', () => {
    it('leaves the canonical DESIGN.md example unchanged', async () => {
        await formatting({ before: DESIGN_EXAMPLE, after: DESIGN_EXAMPLE });
    });

    it('lays out the DESIGN.md example as written there, keeping comments and one-line blocks', async () => {
        const formatted = await format(DESIGN_AS_WRITTEN);
        expect(formatted).toContain('import "common.mas"                    // shared models / rubrics across files\n');
        expect(formatted).toContain('role Planner "Breaks the problem into steps"\nrole Solver "Follows');
        expect(formatted).toContain(
            'agent planner: Planner { model: base  prompt: "Plan: {{task.question}}"  max_tokens: 128 }',
        );
        expect(formatted).toContain(
            '{ model: base adapter separate  prompt: "Check {{solver.output}}: ACCEPT or REVISE" }',
        );
        expect(formatted).toContain('  verifier -> end when verifier.output contains "ACCEPT"\n');
        expect(formatted).toContain(
            '  criterion answer weight 0.7: number(extract(solver.output, /\\\\boxed\\{(-?\\d+)\\}/)) == task.answer\n',
        );
        expect(formatted).toContain('  steps: 200\n  batch: 16\n  lr: 2e-5\n  seed: 7  //  | difference');
        expect(await format(formatted)).toBe(formatted);
    });

    it('expands multi-line blocks with 2-space indentation, one member per line', async () => {
        await formatting({
            before: 'model   m{from:scratch( layers:2 ,hidden : 64)\nadapter : lora(rank:8)}\ntrain{credit:outcome steps:10\n    dataset:d}',
            after:
                'model m {\n  from: scratch(layers: 2, hidden: 64)\n  adapter: lora(rank: 8)\n}\n' +
                'train {\n  credit: outcome\n  steps: 10\n  dataset: d\n}',
        });
    });

    it('puts graph chains and criteria one per line with single spaces around operators', async () => {
        await formatting({
            before:
                'graph { start->a->end   a->a when a.output contains"x" max 2 }\n' +
                'rubric r { criterion c weight 1:length( a.output )<=400 and not(a.output matches /a b/i)\ncriterion d weight 2: -(1+2)*3 > 0 }',
            after:
                'graph {\n  start -> a -> end\n  a -> a when a.output contains "x" max 2\n}\n' +
                'rubric r {\n  criterion c weight 1: length(a.output) <= 400 and not (a.output matches /a b/i)\n' +
                '  criterion d weight 2: -(1 + 2) * 3 > 0\n}',
        });
    });

    it('never changes the inside of strings, templates and regexes', async () => {
        const prompt = '"  spaced  {{ task.q }}  text\\n {{a.output}}{{a.output}} "';
        const regex = '/a  +b\\/ /ims';
        const formatted = await format(
            `dataset d from "  p  " { q: string }\nrole R\nagent a: R {\nprompt:   ${prompt}\n}\n` +
                `rubric r { criterion c weight 1: a.output matches ${regex} }`,
        );
        expect(formatted).toContain(`  prompt: ${prompt}\n`);
        expect(formatted).toContain(`a.output matches ${regex}\n`);
        expect(formatted).toContain('from "  p  "');
    });

    it('indents comments on their own line inside blocks and keeps blank lines between declarations to one', async () => {
        await formatting({
            before: 'role A\n\n\n\nrole B\ntrain {\n// the method\ncredit: outcome\n    /* steps\n       here */\nsteps: 1 }',
            after: 'role A\n\nrole B\ntrain {\n  // the method\n  credit: outcome\n  /* steps\n     here */\n  steps: 1\n}',
        });
    });

    it('keeps empty blocks on one line and lays out dataset fields', async () => {
        await formatting({
            before: 'graph {  }\ndataset   d    from   "x" {\nq: string,\n a :number }',
            after: 'graph { }\ndataset d from "x" {\n  q: string,\n  a: number\n}',
        });
    });

    it('does not touch a document with syntax errors', async () => {
        const broken = 'agent   a:  { model:';
        expect(await format(broken)).toBe(broken);
    });
});
