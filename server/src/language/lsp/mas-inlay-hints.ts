import { GrammarUtils, type AstNode } from 'langium';
import { AbstractInlayHintProvider, type InlayHintAcceptor } from 'langium/lsp';
import { InlayHintKind } from 'vscode-languageserver';
import { isRubric } from '../generated/ast.js';
import type { MasServices } from '../mas-module.js';
import { formatWeight } from './hover-content.js';
import { normalizedWeights, weightsSumToOne } from './rubric-weights.js';

/**
 * Inlay hints: when a rubric's weights do not sum to 1, each criterion weight is followed by the
 * weight it effectively has after normalisation (`weight 0.7 ≈ 0.58`), which is what the trainer
 * uses.
 */
export class MasInlayHintProvider extends AbstractInlayHintProvider {
    constructor(protected readonly services: MasServices) {
        super();
    }

    computeInlayHint(node: AstNode, acceptor: InlayHintAcceptor): void {
        if (!isRubric(node) || weightsSumToOne(node)) {
            return;
        }
        const weights = normalizedWeights(node);
        const sum = node.criteria.reduce((total, criterion) => total + (criterion.weight ?? 0), 0);
        node.criteria.forEach((criterion, index) => {
            const weightToken = criterion.$cstNode && GrammarUtils.findNodeForProperty(criterion.$cstNode, 'weight');
            const normalized = weights?.[index];
            if (!weightToken || normalized === undefined) {
                return;
            }
            acceptor({
                position: weightToken.range.end,
                label: `≈ ${formatWeight(normalized, 2)}`,
                kind: InlayHintKind.Parameter,
                paddingLeft: true,
                tooltip: `Normalized weight: ${criterion.weight} / ${formatWeight(sum)} (the weights sum to ${formatWeight(sum)}, not 1)`,
            });
        });
    }
}
