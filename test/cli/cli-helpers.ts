import { mkdtempSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../server/src/cli/main.js';

/** Runs `mas` in-process in `cwd` and returns its exit code and what it printed. */
export async function mas(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
        cwd,
        stdout: (text) => {
            stdout += text;
        },
        stderr: (text) => {
            stderr += text;
        },
        writeFile: (path, text) => writeFile(path, text, 'utf8'),
    };
    const code = await runCli(argv, io);
    return { code, stdout, stderr };
}

/** A fresh temporary folder holding the given files. */
export function folderWith(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'mas-cli-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
}

export const VALID_TEAM = `workflow Pair
dataset tasks from "tasks.jsonl" { question: string  answer: string }
model m { from: scratch(layers: 1) }
role Asker "asks"
role Answerer "answers"
agent asker: Asker { model: m prompt: "{{task.question}}" }
agent answerer: Answerer { model: m prompt: "Q: {{asker.output}}" }
graph {
  start -> asker -> answerer
  answerer -> asker when answerer.output contains "?" max 3
  answerer -> end
}
rubric r { criterion exact weight 1: answerer.output == task.answer }
reward team: r per trajectory
train { algorithm: grpo(group: 4) steps: 10 }
`;

/** Line 3 refers to an undeclared role: a linking error at 3:16. */
export const BROKEN_TEAM = `workflow Broken
model m { from: hf "x" }
agent solo: Nobody { model: m }
graph { start -> solo -> end }
`;
