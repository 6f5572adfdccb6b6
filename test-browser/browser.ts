import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

// Debian's Chromium driven by playwright-core (never a browser download), on a fresh profile.

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--disable-sync', '--disable-quic',
];
export const SCREENSHOTS = path.resolve(__dirname, '../test-results/screenshots');

export interface Browser {
    readonly page: Page;
    /** Saves test-results/screenshots/<name>.png: of `element` when given, else of the whole page. */
    screenshot(name: string, element?: Locator): Promise<void>;
    close(): Promise<void>;
}

export async function openBrowser(): Promise<Browser> {
    const profile = await mkdtemp(path.join(os.tmpdir(), 'chromium-profile-'));
    let context: BrowserContext;
    try {
        context = await chromium.launchPersistentContext(profile, {
            executablePath: CHROMIUM,
            headless: true,
            args: ARGS,
            viewport: { width: 1280, height: 900 },
        });
    }
    catch (error) {
        await rm(profile, { recursive: true, force: true });
        throw error;
    }
    await mkdir(SCREENSHOTS, { recursive: true });
    const page = context.pages()[0] ?? await context.newPage();
    return {
        page,
        screenshot: async (name, element) => {
            const file = path.join(SCREENSHOTS, `${name}.png`);
            await (element ? element.screenshot({ path: file }) : page.screenshot({ path: file, fullPage: true }));
        },
        close: async () => {
            await context.close();
            await rm(profile, { recursive: true, force: true });
        },
    };
}
