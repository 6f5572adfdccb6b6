import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { JSDOM } from 'jsdom';
import ts from 'typescript';

import { eventually } from '../helpers/wait';
import { EXAMPLE_SOURCES, sourceFiles } from './example-sources';

// The example mini-program (examples/miniprogram) built as WeChat DevTools builds it, each .ts
// compiled to .js beside its .json, .wxml and .wxss, and its pages rendered by
// miniprogram-simulate: WeChat's own WXML compiler (wcc) and component framework (exparser) on
// jsdom, in this process.

function build(): string {
    const root = mkdtempSync(path.join(tmpdir(), 'example-miniprogram-'));
    process.on('exit', () => rmSync(root, { recursive: true, force: true }));
    cpSync(EXAMPLE_SOURCES, root, { recursive: true, filter: (source) => !source.endsWith('.ts') });
    for (const file of sourceFiles(EXAMPLE_SOURCES, '.ts')) {
        const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
            fileName: file,
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2017, inlineSourceMap: true, inlineSources: true },
        });
        writeFileSync(path.join(root, path.relative(EXAMPLE_SOURCES, file)).replace(/\.ts$/, '.js'), outputText);
    }
    return root;
}

// miniprogram-simulate renders into a DOM: jsdom's, installed before it loads.
const { window } = new JSDOM('<!doctype html><html><head></head><body></body></html>', { pretendToBeVisual: true });
for (const name of ['window', 'document', 'Node', 'Element', 'HTMLElement', 'Event', 'CustomEvent', 'TouchEvent', 'getComputedStyle', 'requestAnimationFrame'] as const) {
    (globalThis as Record<string, unknown>)[name] = name === 'window' ? window : (window as unknown as Record<string, unknown>)[name];
}
process.setSourceMapsEnabled(true);

/** The parts of miniprogram-simulate (and j-component's rendered component) these tests use. */
interface Rendered {
    readonly data: Record<string, unknown>;
    readonly instance: Record<string, (...args: unknown[]) => unknown>;
    readonly dom: HTMLElement;
    querySelectorAll(selector: string): Rendered[];
    dispatchEvent(name: string, options?: object): void;
    attach(parent: HTMLElement): void;
    detach(): void;
}
const simulate = require('miniprogram-simulate') as {
    load(componentPath: string, options: { compiler: 'official'; rootPath: string }): string;
    render(id: string, properties?: object): Rendered;
};

const root = build();

/** The example's config.ts, compiled: tests point it at the test app. */
export const exampleConfig = require(path.join(root, 'config.js')).config as {
    apiBase: string;
    requestTimeoutMs: number;
    paymentPoll: { everyMs: number; times: number };
};

/** A page as the shopper sees it: its text, its buttons, its inputs. */
export class OpenPage {
    constructor(private readonly page: Rendered) {}

    get data(): Record<string, unknown> {
        return this.page.data;
    }

    /** The text of each element `selector` matches. */
    texts(selector: string): string[] {
        return this.page.querySelectorAll(selector).map((element) => element.dom.textContent!.replace(/\s+/g, ' ').trim());
    }

    /** The text of the one element `selector` matches; undefined when there is none. */
    text(selector: string): string | undefined {
        const texts = this.texts(selector);
        assert.ok(texts.length <= 1, `${selector} is one element, not ${texts.length}`);
        return texts[0];
    }

    has(selector: string): boolean {
        return this.page.querySelectorAll(selector).length > 0;
    }

    /** Taps the element and waits until the page is no longer busy with what the tap started. */
    async tap(selector: string, index = 0): Promise<void> {
        const target = this.page.querySelectorAll(selector)[index];
        assert.ok(target, `${selector} [${index}] is on the page`);
        target.dispatchEvent('tap');
        await sleep(0); // the tap is delivered as a microtask; its handler has begun by now
        await eventually(`${selector}'s tap to finish`, async () => (this.page.data.busy ? undefined : true), 30_000);
    }

    /** Types into an input or textarea (its bindinput handler gets the value). */
    async type(selector: string, value: string): Promise<void> {
        const [target] = this.page.querySelectorAll(selector);
        assert.ok(target, `${selector} is on the page`);
        target.dispatchEvent('input', { detail: { value, cursor: value.length } });
        await sleep(0);
    }

    /** Calls one of the page's lifecycle handlers (onShow, onPullDownRefresh…) as WeChat would. */
    async trigger(handler: string): Promise<void> {
        await this.page.instance[handler]!();
    }

    close(): void {
        this.page.detach();
    }
}

/**
 * Opens `/pages/x/x?query` as wx.navigateTo would: the page is rendered, attached, then gets onLoad
 * with the query (values as written in the url) and onShow; both are awaited.
 */
export async function openPage(url: string): Promise<OpenPage> {
    const [route, search = ''] = url.replace(/^\//, '').split('?') as [string, string?];
    const query = Object.fromEntries(search.split('&').filter(Boolean).map((pair) => pair.split('=') as [string, string]));
    const page = simulate.render(simulate.load(path.join(root, route), { compiler: 'official', rootPath: root }));
    page.attach(document.createElement('parent-wrapper'));
    await page.instance.onLoad?.(query);
    await page.instance.onShow?.();
    return new OpenPage(page);
}
