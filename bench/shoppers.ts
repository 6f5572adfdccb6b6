import { randomBytes } from 'node:crypto';

import { openidFor } from '../src/simulator/ids';
import type { Shopper } from './shop-floor';
import type { Service } from './stack';

// Shoppers as the app knows them: signed in through POST /users/wxLogin and the simulator.

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: response.status, json: await response.json() as Record<string, unknown> };
}

/** `count` shoppers signed in through POST /users/wxLogin and the simulator's jscode2session. */
export async function signIn(app: Service, appId: string, count: number): Promise<Shopper[]> {
    const run = randomBytes(4).toString('hex');
    const shoppers: Shopper[] = [];
    for (let user = 0; user < count; user += 1) {
        const code = `bench${user}.${run}`;
        const { status, json } = await post(`${app.url}/users/wxLogin`, { code });
        if (status !== 200) {
            throw new Error(`wxLogin answered ${status}: ${JSON.stringify(json)}`);
        }
        shoppers.push({ userId: json.userId as number, token: json.token as string, openId: openidFor(appId, code) });
    }
    return shoppers;
}
