import { AstUtils, UriUtils } from 'langium';
import type { VerifierSpec } from '../../../protocol/run-spec.js';
import { isVerifierCall, type Rubric, type Verifier } from '../language/generated/ast.js';
import { isBuiltinVerifier } from '../language/scope/builtin-verifiers.js';
import { CompileInvariantError } from './compile-expression.js';

/**
 * The declared verifiers that the rubrics call, in order of first call, each once. A built-in called without a
 * declaration is left out (the trainer has it); a declaration no criterion calls is left out too, so that its
 * file is not needed to train.
 */
export function compileVerifiers(rubrics: readonly Rubric[]): VerifierSpec[] {
    const byName = new Map<string, VerifierSpec>();
    for (const rubric of rubrics) {
        for (const call of AstUtils.streamAst(rubric).filter(isVerifierCall)) {
            const declaration = call.verifier.ref;
            if (!declaration)
                throw new CompileInvariantError(`The verifier "${call.verifier.$refText}" is not resolved.`);
            if (isBuiltinVerifier(declaration) || byName.has(declaration.name)) continue;
            byName.set(declaration.name, compileVerifier(declaration));
        }
    }
    return [...byName.values()];
}

function compileVerifier(verifier: Verifier): VerifierSpec {
    const declaring = AstUtils.getDocument(verifier).uri;
    return {
        name: verifier.name,
        params: verifier.params.map((param) => ({ name: param.name, type: param.type })),
        returns: verifier.returns,
        file: UriUtils.resolvePath(UriUtils.dirname(declaring), verifier.file).fsPath,
        function: verifier.function ?? verifier.name,
    };
}
