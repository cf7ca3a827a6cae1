import { JsonBytes, JsonBytesError, MAX_JSON_DEPTH } from './json-bytes.js';

export { MAX_JSON_DEPTH };

/** A JSON text refused before JSON.parse ran: too deep, not JSON, or not UTF-8; `message` says which and where. */
export class BoundedJsonError extends Error {
    constructor(
        message: string,
        readonly kind: 'json' | 'utf8' | 'depth',
    ) {
        super(message);
        this.name = 'BoundedJsonError';
    }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON.parse of bytes read from a run directory (or anything else written by someone else), after the trajectory
 * scanner's own pass (JsonBytes.skipValue: grammar, UTF-8 and at most MAX_JSON_DEPTH levels, with an explicit stack)
 * has accepted them. Every JSON file or line the extension reads goes through this one check, so a value nested
 * 5 000 deep is refused here with a sentence instead of overflowing a stack later (stringify, postMessage, ajv).
 * Pure: no Node built-ins.
 */
export function parseBoundedJson(bytes: Uint8Array): unknown {
    const reader = new JsonBytes(bytes, 0, bytes.length);
    try {
        reader.skipValue();
        if (reader.peek() !== -1) reader.fail('end of the value');
    } catch (error) {
        if (!(error instanceof JsonBytesError)) throw error;
        throw new BoundedJsonError(describe(error), error.kind);
    }
    return JSON.parse(utf8.decode(bytes));
}

function describe(error: JsonBytesError): string {
    if (error.kind === 'depth') return `${error.message}; at most ${MAX_JSON_DEPTH} are read`;
    if (error.kind === 'utf8') return 'not valid UTF-8';
    return `not valid JSON (${error.message})`;
}
