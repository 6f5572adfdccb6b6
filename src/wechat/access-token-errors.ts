// What stable_token's errcodes mean for this server: what is wrong and, when it is this server's
// own setup (a setting, the mini-program's IP whitelist), what an operator must change. Nothing
// here is a shipment's fault: without a token an upload waits, it does not fail.

export interface TokenRefusal {
    readonly problem: string;
    /** The setting or console page to change; absent when WeChat was only busy or rate-limiting. */
    readonly fix?: string;
}

/** Where the mini-program's AppID, AppSecret and IP whitelist are managed. */
const DEVELOPER_SETTINGS = 'mp.weixin.qq.com → 开发管理 → 开发设置';
const WHITELIST = `the mini-program's IP whitelist (${DEVELOPER_SETTINGS} → IP白名单)`;

const APPID: TokenRefusal = { problem: 'WeChat knows no mini-program by WX_APPID', fix: `set WX_APPID to the mini-program's AppID (${DEVELOPER_SETTINGS}) and restart` };
const SECRET: TokenRefusal = {
    problem: 'WeChat refused WX_SECRET (was the AppSecret reset in the console?)',
    fix: `set WX_SECRET to the mini-program's current AppSecret (${DEVELOPER_SETTINGS}) and restart`,
};
const ADMIN_CONFIRMATION: TokenRefusal = {
    problem: "calls from this server's IP wait for, or were refused by, the mini-program administrator's confirmation",
    fix: `add the IP to ${WHITELIST}, or have the administrator confirm it in WeChat`,
};

const REFUSALS: Readonly<Record<number, TokenRefusal>> = {
    [-1]: { problem: 'WeChat was busy' },
    45011: { problem: "WeChat's per-minute limit of stable_token calls was reached" },
    40002: { problem: 'WeChat refused the grant_type sent', fix: 'none in the settings: this is a fault of this server, report it' },
    40013: APPID,
    41002: APPID,
    40125: SECRET,
    41004: SECRET,
    40243: { problem: "the mini-program's AppSecret is frozen", fix: `unfreeze it (${DEVELOPER_SETTINGS}), or reset it and set WX_SECRET to the new one` },
    40164: { problem: "this server's outbound IP is not on the mini-program's IP whitelist", fix: `add the IP that WeChat's errmsg names to ${WHITELIST}` },
    89501: ADMIN_CONFIRMATION,
    89503: ADMIN_CONFIRMATION,
    89506: ADMIN_CONFIRMATION,
    89507: ADMIN_CONFIRMATION,
    45009: { problem: "the mini-program's daily stable_token quota is spent", fix: 'look for a process fetching tokens in a loop; the quota resets at midnight (or reset it with clear_quota)' },
};

/** The meaning of stable_token's errcode; one not listed is shown as WeChat gave it, for an operator to read. */
export function tokenRefusalOf(errcode: number): TokenRefusal {
    return REFUSALS[errcode] ?? { problem: `WeChat refused the access token (errcode ${errcode})`, fix: "read WeChat's errmsg and the mini-program's settings" };
}

/** The refusal in one line, for a merchant reading a held shipment and an operator reading the alert. */
export function describeTokenRefusal(errcode: number): string {
    const { problem, fix } = tokenRefusalOf(errcode);
    return fix === undefined ? problem : `${problem}; fix: ${fix}`;
}
