import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The example of DESIGN.md §2: the corpus is never empty, even before examples/ exists. */
export const DESIGN_EXAMPLE = `workflow MathTeam
import "common.mas"
dataset train from "data/arith.jsonl" { question: string  answer: number }
model base {
  from: hf "Qwen/Qwen2.5-0.5B-Instruct"
  adapter: lora(rank: 16, alpha: 32)
}
model tiny { from: scratch(layers: 2, hidden: 64, vocab: chars) }
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
/* weights sum to one */
rubric correctness {
  criterion answer  weight 0.7: number(extract(solver.output, /\\\\boxed\\{(-?\\d+)\\}/)) == task.answer
  criterion format  weight 0.2: solver.output matches /\\\\boxed\\{/
  criterion brevity weight 0.1: length(solver.output) <= 400 / 2 and not (task.answer < -1)
}
reward team: correctness per trajectory
train {
  algorithm: grpo(group: 8, clip: 0.2, kl: 0.01)
  credit: counterfactual(fanout: [2, 4])
  steps: 200  batch: 16  lr: 2e-5  seed: 7
}
`;

export interface Seed {
    name: string;
    text: string;
}

/** Every .mas file under `dir`, recursively (Node 20 has no fs.glob). */
function masFilesUnder(dir: string): string[] {
    let entries: string[];
    try {
        entries = readdirSync(dir);
    } catch {
        return [];
    }
    return entries.flatMap((entry) => {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) {
            return entry === 'node_modules' ? [] : masFilesUnder(path);
        }
        return entry.endsWith('.mas') ? [path] : [];
    });
}

/** Built-in seeds plus examples/**\/*.mas and test/fixtures/**\/*.mas, read at run time. */
export function loadSeeds(repoRoot: string): Seed[] {
    const files = [...masFilesUnder(join(repoRoot, 'examples')), ...masFilesUnder(join(repoRoot, 'test', 'fixtures'))]
        .filter((path) => !path.includes('fuzz-regressions'))
        .sort();
    return [
        { name: 'builtin:design-example', text: DESIGN_EXAMPLE },
        ...files.map((path) => ({ name: relative(repoRoot, path), text: readFileSync(path, 'utf8') })),
    ];
}
