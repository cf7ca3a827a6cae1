import { AstUtils, EmptyFileSystem } from 'langium';
import { expectNoIssues, expectWarning, validationHelper } from 'langium/test';
import { describe, expect, it } from 'vitest';
import { isRegexLiteral, type MasFile } from '../../../server/src/language/generated/ast.js';
import { createMasServices } from '../../../server/src/language/mas-module.js';
import { folderWith, mas } from '../../cli/cli-helpers.js';

/** Issue 14: a `.mas` file is untrusted; the language warns about regexes that hang backtracking engines and data read from outside the workspace. */
const workflow = (datasetPath: string, criterion: string) => `workflow Demo
dataset tasks from "${datasetPath}" { question: string  answer: number }
model base { from: scratch(layers: 1) }
role Solver "Answers"
agent solver: Solver { model: base  prompt: "{{task.question}}" }
graph { start -> solver -> end }
rubric r { criterion c weight 1: ${criterion} }
reward team: r per trajectory
train { algorithm: grpo(group: 4)  credit: outcome }
`;

describe('language warnings for hostile workspaces', () => {
    const { Mas, shared } = createMasServices(EmptyFileSystem);
    const validate = validationHelper<MasFile>(Mas);

    it('warns about nested quantifiers in a regex literal, naming the group', async () => {
        const result = await validate(workflow('data/tasks.jsonl', 'solver.output matches /^(a|aa)+$/'));
        const literal = AstUtils.streamAst(result.document.parseResult.value).find(isRegexLiteral)!;
        expectWarning(result, /`\(a\|aa\)\+` repeats something that already repeats/, {
            node: literal,
            code: 'nested-quantifier',
        });
    });

    it('accepts a plain repetition without warnings', async () => {
        expectNoIssues(await validate(workflow('data/tasks.jsonl', 'solver.output matches /^a+$/')));
    });

    it('warns about a dataset path that climbs out of the folder, with the resolved path', async () => {
        const result = await validate(workflow('../../../../etc/passwd', 'true'), {
            documentUri: 'file:///home/me/project/team.mas',
        });
        const warnings = (result.diagnostics ?? []).filter((d) => d.code === 'dataset-outside-workspace');
        expect(warnings.map((d) => d.severity)).toEqual([2]);
        expect(warnings[0]!.message).toContain('resolves to /etc/passwd');
    });

    it("uses the editor's workspace folder when it knows one, so data beside the .mas folder is fine", async () => {
        shared.workspace.WorkspaceManager.initialize({
            processId: null,
            rootUri: null,
            capabilities: {},
            workspaceFolders: [{ name: 'ws', uri: 'file:///ws' }],
        });
        const inside = await validate(workflow('../data/tasks.jsonl', 'true'), {
            documentUri: 'file:///ws/team/main.mas',
        });
        expect(
            (inside.diagnostics ?? []).filter((d) => d.code === 'dataset-outside-workspace').map((d) => d.message),
        ).toEqual([]);
        const outside = await validate(workflow('/home/me/.ssh/id_rsa', 'true'), {
            documentUri: 'file:///ws/team/other.mas',
        });
        expect(
            (outside.diagnostics ?? []).filter((d) => d.code === 'dataset-outside-workspace').map((d) => d.message),
        ).toEqual([expect.stringContaining('resolves to /home/me/.ssh/id_rsa, outside the workspace folder /ws')]);
    });

    it('mas check prints both warnings with their codes', async () => {
        const dir = folderWith({ 'team.mas': workflow('../../../../etc/passwd', 'solver.output matches /(x+x+)+y/') });
        const result = await mas(dir, 'check', 'team.mas');
        expect(result.code).toBe(0);
        expect(result.stdout).toContain('nested-quantifier');
        expect(result.stdout).toContain('dataset-outside-workspace');
        expect(result.stdout).toContain('/etc/passwd');
        expect(result.stderr).toBe('1 file checked: 0 errors, 2 warnings.\n');
    });
});
