import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { MiniTokenizer, type Grammar, type GrammarRule, type ScopedToken } from './mini-textmate.js';
import { createTestServices } from './lsp-test-helpers.js';

const grammar = JSON.parse(readFileSync('syntaxes/mas.tmLanguage.json', 'utf8')) as Grammar;
const sample = readFileSync('test/fixtures/tmgrammar/sample.mas', 'utf8');
const lines = sample.split('\n');
const tokenized = new MiniTokenizer(grammar).tokenizeLines(lines);

/** The innermost scopes of the `occurrence`-th token whose text is exactly `text` on the line starting with `linePrefix`. */
function scopesOf(linePrefix: string, text: string, occurrence = 1): string[] {
    const lineIndex = lines.findIndex((line) => line.startsWith(linePrefix));
    expect(lineIndex, `no line starts with ${linePrefix}`).toBeGreaterThanOrEqual(0);
    const matches = tokenized[lineIndex]!.filter((token: ScopedToken) => token.text === text);
    expect(
        matches.length,
        `"${text}" is not a token of line ${lineIndex}: ${JSON.stringify(tokenized[lineIndex])}`,
    ).toBeGreaterThanOrEqual(occurrence);
    return matches[occurrence - 1]!.scopes;
}

function allRules(rules: readonly GrammarRule[]): GrammarRule[] {
    return rules.flatMap((rule) => [rule, ...allRules(rule.patterns ?? [])]);
}

describe('TextMate grammar', () => {
    it('is the source.mas grammar, its sample is valid .mas, and every pattern compiles', async () => {
        expect(grammar.scopeName).toBe('source.mas');
        const { parse } = createTestServices();
        const document = await parse(sample);
        expect(document.parseResult.parserErrors.map((e) => e.message)).toEqual([]);
        expect(document.parseResult.lexerErrors).toEqual([]);
        expect(tokenized.length).toBe(lines.length);
        const sources = allRules([...grammar.patterns, ...Object.values(grammar.repository)])
            .flatMap((rule) => [rule.match, rule.begin, rule.end])
            .filter((source): source is string => source !== undefined);
        expect(sources.length).toBeGreaterThan(30);
        for (const source of sources) {
            expect(() => new RegExp(source), source).not.toThrow();
        }
    });

    it('scopes comments, keywords and declaration names', () => {
        expect(scopesOf('workflow', 'MathTeam')).toContain('entity.name.namespace.mas');
        expect(scopesOf('/* a block', '/*')).toContain('comment.block.mas');
        expect(scopesOf('   comment */', '   comment ')).toContain('comment.block.mas');
        expect(scopesOf('dataset', 'train')).toContain('entity.name.type.dataset.mas');
        expect(scopesOf('dataset', 'string')).toContain('support.type.primitive.mas');
        expect(scopesOf('model', 'base')).toContain('entity.name.type.class.model.mas');
        expect(scopesOf('role', 'Planner')).toContain('entity.name.type.interface.role.mas');
        expect(scopesOf('agent', 'planner')).toContain('entity.name.function.agent.mas');
        expect(scopesOf('agent', 'Planner')).toContain('entity.name.type.interface.role.mas');
        expect(scopesOf('rubric', 'correctness')).toContain('entity.name.function.rubric.mas');
        expect(scopesOf('reward', 'correctness')).toContain('entity.name.function.rubric.mas');
        expect(scopesOf('reward', ' trailing comment')).toContain('comment.line.double-slash.mas');
    });

    it('gives template holes inside strings their own embedded scope', () => {
        expect(scopesOf('agent', '"')).toContain('string.quoted.double.mas');
        expect(scopesOf('agent', 'Plan: ')).toEqual(['source.mas', 'string.quoted.double.mas']);
        expect(scopesOf('agent', '{{')).toEqual(
            expect.arrayContaining(['string.quoted.double.mas', 'meta.template.expression.mas']),
        );
        expect(scopesOf('agent', 'task')).toEqual(
            expect.arrayContaining(['meta.template.expression.mas', 'variable.language.task.mas']),
        );
        expect(scopesOf('agent', 'question')).toContain('variable.other.property.mas');
        expect(scopesOf('agent', 'solver')).toEqual(
            expect.arrayContaining(['meta.embedded.line.mas', 'variable.other.mas']),
        );
        expect(scopesOf('agent', 'output')).toContain('variable.other.property.output.mas');
        expect(scopesOf('agent', ' after ')).toEqual(['source.mas', 'string.quoted.double.mas']);
        expect(scopesOf('agent', '\\n')).toContain('constant.character.escape.mas');
    });

    it('tells regex literals from division', () => {
        expect(scopesOf('rubric', '/\\\\boxed\\{(-?\\d+)\\}/')).toContain('string.regexp.mas');
        expect(scopesOf('rubric', 'i')).toContain('keyword.other.regexp-flags.mas');
        expect(scopesOf('rubric', '/')).toContain('keyword.operator.arithmetic.mas');
    });

    it('scopes numbers, operators and catalogue words', () => {
        expect(scopesOf('graph', '->')).toContain('keyword.operator.arrow.mas');
        expect(scopesOf('graph', 'start')).toContain('constant.language.node.mas');
        expect(scopesOf('graph', 'contains')).toContain('keyword.operator.word.mas');
        expect(scopesOf('rubric', '0.7')).toContain('constant.numeric.mas');
        expect(scopesOf('rubric', '==')).toContain('keyword.operator.comparison.mas');
        expect(scopesOf('rubric', 'extract')).toContain('support.function.builtin.mas');
        expect(scopesOf('train', 'counterfactual')).toContain('support.constant.training.mas');
        expect(scopesOf('train', 'fanout')).toContain('variable.other.property.setting.mas');
        expect(scopesOf('train', '2e-5')).toContain('constant.numeric.mas');
        expect(scopesOf('agent', 'frozen')).toContain('support.constant.training.mas');
    });
});
