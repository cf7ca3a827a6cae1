/**
 * Building DOM without HTML strings: everything that comes from a document, a run file or a model is set as
 * text (textContent / attribute values), never parsed as markup (DESIGN.md §6).
 */

export function element<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    options: { className?: string; text?: string; title?: string; attrs?: Record<string, string> } = {},
    ...children: Node[]
): HTMLElementTagNameMap[K] {
    const node = document.createElement(tag);
    if (options.className) node.className = options.className;
    if (options.text !== undefined) node.textContent = options.text;
    if (options.title !== undefined) node.title = options.title;
    for (const [name, value] of Object.entries(options.attrs ?? {})) node.setAttribute(name, value);
    node.append(...children);
    return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svgElement<K extends keyof SVGElementTagNameMap>(
    tag: K,
    attrs: Record<string, string | number> = {},
    text?: string,
): SVGElementTagNameMap[K] {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
}

/** Shortens a display string; the full text stays available as a tooltip by the caller. */
export function clip(text: string, max: number): string {
    return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
