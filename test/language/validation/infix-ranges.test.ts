import { describe, expect, it } from 'vitest';
import { createValidationServices } from './validation-helpers.js';

const { validate } = createValidationServices();

/** The text a diagnostic's range covers in `source`. */
function coveredText(
    source: string,
    range: { start: { line: number; character: number }; end: { line: number; character: number } },
): string {
    const lines = source.split('\n');
    expect(range.start.line).toBe(range.end.line);
    return lines[range.start.line]!.slice(range.start.character, range.end.character);
}

describe('diagnostics inside an operator chain', () => {
    it('mark only the operand in error, not the whole chain (the grammar parses `+ - * / %` with an infix rule)', async () => {
        const source = 'rubric r { criterion c weight 1: "s" + 2 * 3 - 1 == "x" }';
        const document = await validate(source);
        const mismatches = (document.diagnostics ?? []).filter((d) => d.data?.code === 'type-mismatch');
        const covered = mismatches.map((d) => coveredText(source, d.range));
        expect(covered).toContain('2 * 3');
        expect(covered).not.toContain('"s" + 2 * 3 - 1');
    });
});
