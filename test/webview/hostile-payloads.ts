/**
 * Hostile strings for the trajectory view: each tries to run `window.__pwned = <n>` (or load a URL) if it were ever
 * interpreted as markup, script or URL. Built from families × variants so the count is large and each is distinct.
 */
const ACTIONS = (n: number) => [`window.__pwned=${n}`, `parent.__pwned=${n}`, `top['__pwned']=${n}`];

const FAMILIES: ((js: string, n: number) => string)[] = [
    (js) => `<script>${js}</script>`,
    (js) => `</script><script>${js}</script>`,
    (js) => `"></textarea><script>${js}</script>`,
    (js) => `<img src=x onerror="${js}">`,
    (js) => `<svg onload="${js}"></svg>`,
    (js) => `<svg><script>${js}</script></svg>`,
    (js) => `<math><mtext><table><mglyph><style><img src=x onerror="${js}">`,
    (js) => `<iframe srcdoc="<script>${js}</script>"></iframe>`,
    (js) => `<a href="javascript:${js}">click</a>`,
    (js) => `javascript:${js}`,
    (js) => `data:text/html,<script>${js}</script>`,
    (js) => `<object data="data:text/html,<script>${js}</script>">`,
    (js) => `<body onload="${js}">`,
    (js) => `<details open ontoggle="${js}">`,
    (js) => `<input autofocus onfocus="${js}">`,
    (js) => `<video><source onerror="${js}"></video>`,
    (js) => `<style>@import 'https://evil.test/x.css';</style><b style="background:url(javascript:${js})">`,
    (js) => `<meta http-equiv="refresh" content="0;url=javascript:${js}">`,
    (js) => `{{constructor.constructor('${js}')()}}`,
    (js) => `\u202e<img src=x onerror="${js}">\u202c`,
    (js) => `\u200b<scr\u200bipt>${js}</script>`,
    (js) => `&lt;script&gt;${js}&lt;/script&gt;`,
    (js) => `<template><img src=x onerror="${js}"></template>`,
    (js) => `<vscode-button onclick="${js}">x</vscode-button>`,
    (js) => `<x-foo is="vscode-option" onmouseover="${js}">`,
];

export function hostilePayloads(min = 500): string[] {
    const out: string[] = [];
    for (let n = 1; out.length < min; n++) {
        for (const family of FAMILIES) for (const js of ACTIONS(n)) out.push(family(js, n));
    }
    return out;
}
