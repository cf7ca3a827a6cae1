import { describe, expect, it } from 'vitest';
import { EmptyFileSystem } from 'langium';
import { parseHelper } from 'langium/test';
import { createMasServices } from '../../server/src/language/mas-module.js';
import type { MasFile } from '../../server/src/language/generated/ast.js';

const services = createMasServices(EmptyFileSystem).Mas;
const parse = parseHelper<MasFile>(services);

describe('parsing', () => {
    it('parses the example of DESIGN.md', async () => {
        const text = `workflow MathTeam
dataset train from "data/arith.jsonl" { question: string  answer: number }
model base {
  from: hf "Qwen/Qwen2.5-0.5B-Instruct"
  adapter: lora(rank: 16, alpha: 32)
}
role Planner  "Breaks the problem into steps"
role Solver   "Follows the plan and states the answer"
role Verifier "Accepts the solution or asks for a revision"
agent planner: Planner { model: base  prompt: "Plan: {{task.question}}"  max_tokens: 128 }
agent solver:  Solver   { model: base  prompt: "{{task.question}}\\nPlan: {{planner.output}}" }
agent verifier: Verifier { model: base adapter separate   prompt: "Check {{solver.output}}: ACCEPT or REVISE" }
graph {
  start -> planner -> solver -> verifier
  verifier -> solver when verifier.output contains "REVISE" max 2
  verifier -> end    when verifier.output contains "ACCEPT"
}
rubric correctness {
  criterion answer  weight 0.7: number(extract(solver.output, /\\\\boxed\\{(-?\\d+)\\}/)) == task.answer
  criterion format  weight 0.2: solver.output matches /\\\\boxed\\{/
  criterion brevity weight 0.1: length(solver.output) <= 400 / 2 / 1
}
reward team: correctness per trajectory
train {
  algorithm: grpo(group: 8, clip: 0.2, kl: 0.01)
  credit: counterfactual(fanout: [2, 4])
  steps: 200  batch: 16  lr: 2e-5  seed: 7
}
`;
        const doc = await parse(text, { validation: true });
        expect(doc.parseResult.lexerErrors).toEqual([]);
        expect(doc.parseResult.parserErrors.map((e) => e.message)).toEqual([]);
        const file = doc.parseResult.value;
        expect(file.workflow).toBe('MathTeam');
        expect(file.elements.length).toBe(12);
        const diagnostics = doc.diagnostics ?? [];
        expect(diagnostics.filter((d) => d.severity === 1).map((d) => d.message)).toEqual([]);
    });
});
