import type { ValidationAcceptor, ValidationChecks } from 'langium';
import type { MasAstType } from '../generated/ast.js';
import type { MasServices } from '../mas-module.js';

/**
 * Registers the semantic checks of the .mas language, one `checkXxx` method per concern and
 * AST type. Every diagnostic carries an issue code (validation/issue-codes.ts) that its quick fix
 * keys on.
 */
export function registerValidationChecks(services: MasServices): void {
    const registry = services.validation.ValidationRegistry;
    const validator = services.validation.MasValidator;
    const checks: ValidationChecks<MasAstType> = {
        MasFile: validator.checkMasFile,
    };
    registry.register(checks, validator);
}

export class MasValidator {
    constructor(protected readonly services: MasServices) {}

    checkMasFile(_file: unknown, _accept: ValidationAcceptor): void {
        // Filled in by the validation modules.
    }
}
