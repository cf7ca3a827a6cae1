import { EmptyFileSystem } from 'langium';
import { describe, expect, it } from 'vitest';
import { compileTurnExpression } from '../../../client/src/debug/evaluate-at-turn.js';
import { handleCompileExpressionRequest } from '../../../server/src/handlers/lsp-requests.js';
import { createMasServices } from '../../../server/src/language/mas-module.js';

const { Mas } = createMasServices(EmptyFileSystem);
const compile = (params: { text: string; names: string[] }) =>
    Promise.resolve(handleCompileExpressionRequest(params, Mas));

describe('trajectory debugger: verifier calls in conditions and console expressions', () => {
    it('refuses a verifier call with a message naming the verifier, instead of failing later', async () => {
        await expect(compileTurnExpression('equal(solver.output, task.answer)', compile, ['solver'])).rejects.toThrow(
            "verifier calls run in the trainer; they cannot be evaluated in the debugger ('equal(...)')",
        );
        await expect(compileTurnExpression('turn > 0 and math_equal(output, task.answer)', compile)).rejects.toThrow(
            /\('math_equal\(\.\.\.\)'\)$/,
        );
    });

    it('still compiles built-in functions', async () => {
        await expect(compileTurnExpression('trim(output) == task.answer', compile)).resolves.toBeTruthy();
    });
});
