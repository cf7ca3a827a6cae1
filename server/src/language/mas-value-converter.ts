import { DefaultValueConverter, type CstNode, type GrammarAST, type ValueType } from 'langium';

/** Delimiters stripped from each template piece: [prefix length, suffix length]. */
const TEMPLATE_DELIMITERS: Record<string, [number, number]> = {
    TEMPLATE_START: [1, 2],
    TEMPLATE_MIDDLE: [2, 2],
    TEMPLATE_END: [2, 1],
};

/** Turns template pieces into their literal text (delimiters stripped, escapes resolved). */
export class MasValueConverter extends DefaultValueConverter {
    protected override runConverter(rule: GrammarAST.AbstractRule, input: string, cstNode: CstNode): ValueType {
        const delimiters = TEMPLATE_DELIMITERS[rule.name];
        if (delimiters) {
            const [head, tail] = delimiters;
            return unescapeText(input.substring(head, input.length - tail));
        }
        if (rule.name === 'STRING') {
            return unescapeText(input.substring(1, input.length - 1));
        }
        return super.runConverter(rule, input, cstNode);
    }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '{': '{', '}': '}' };

/** Resolves backslash escapes; an unknown escape keeps its character (`\x` → `x`). */
export function unescapeText(text: string): string {
    return text.replace(/\\([\s\S])/g, (_, ch: string) => ESCAPES[ch] ?? ch);
}
