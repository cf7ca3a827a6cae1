import { AstUtils, URI, type AstNode, type AstNodeDescription, type LangiumDocument } from 'langium';
import { BUILTIN_VERIFIERS, type VerifierSignature } from '../../../../protocol/verifier-builtins.js';
import { isMasFile, isVerifier, type Verifier } from '../generated/ast.js';
import type { MasServices } from '../mas-module.js';

/** The scheme of the document that declares the built-in verifiers; it is never part of the workspace. */
export const BUILTIN_SCHEME = 'mas-builtin';
const BUILTIN_URI = URI.parse(`${BUILTIN_SCHEME}:///verifiers.mas`);

/**
 * The built-in verifiers of the trainer's library (protocol/verifier-builtins.ts), as `verifier` declarations
 * of a document parsed once and kept out of the workspace: calls link to them like to a declared verifier
 * (hover, completion, find references work the same), no file lists them, and no check runs on them.
 * The descriptions carry their node, so the linker never looks the document up among the workspace's.
 */
export class BuiltinVerifiers {
    private readonly services: MasServices;
    private parsed: { document: LangiumDocument; descriptions: AstNodeDescription[] } | undefined;

    constructor(services: MasServices) {
        this.services = services;
    }

    /** One description per built-in verifier, for the outermost scope of verifier calls. */
    descriptions(): AstNodeDescription[] {
        return this.load().descriptions;
    }

    private load(): { document: LangiumDocument; descriptions: AstNodeDescription[] } {
        if (!this.parsed) {
            const document = this.services.shared.workspace.LangiumDocumentFactory.fromString(
                builtinSource(BUILTIN_VERIFIERS),
                BUILTIN_URI,
            );
            const root = document.parseResult.value;
            const verifiers = isMasFile(root) ? root.elements.filter(isVerifier) : [];
            const provider = this.services.workspace.AstNodeDescriptionProvider;
            const descriptions = verifiers.map((node) => provider.createDescription(node, node.name, document));
            this.parsed = { document, descriptions };
        }
        return this.parsed;
    }
}

/** True for the declaration of a built-in verifier (it has no file to check, rename or open). */
export function isBuiltinVerifier(node: AstNode): boolean {
    return isVerifier(node) && AstUtils.getDocument(node).uri.scheme === BUILTIN_SCHEME;
}

/** The catalogue entry of a built-in verifier's declaration. */
export function builtinSignature(node: Verifier): VerifierSignature | undefined {
    return isVerifier(node) && isBuiltinVerifier(node)
        ? BUILTIN_VERIFIERS.find((entry) => entry.name === node.name)
        : undefined;
}

/** The catalogue as .mas text; the `from` string is never read (nothing validates this document). */
function builtinSource(verifiers: readonly VerifierSignature[]): string {
    return verifiers
        .map(
            (v) =>
                `verifier ${v.name}(${v.params.map((p) => `${p.name}: ${p.type}`).join(', ')}) -> ${v.returns} from "mas_trainer.verifiers"`,
        )
        .join('\n');
}
