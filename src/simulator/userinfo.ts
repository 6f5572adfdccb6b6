import { unixSeconds } from '../wechat/time';
import { encryptForSession, rawDataSignature } from './crypto';
import type { Simulator } from './simulator';

export interface Profile {
    readonly nickName: string;
    readonly avatarUrl: string;
    /** 0 unknown, 1 male, 2 female. */
    readonly gender: 0 | 1 | 2;
}

export interface UserInfoReply {
    readonly encryptedData: string;
    readonly iv: string;
    readonly rawData: string;
    readonly signature: string;
}

/**
 * What wx.getUserInfo hands the mini-program after wx.login gave it `code`: the profile
 * encrypted under that login's session_key, with a watermark naming the app it is for
 * (`watermarkAppId` lets a test hand the app data meant for another one).
 */
export function userInfoFor(simulator: Simulator, code: string, profile: Profile, watermarkAppId?: string): UserInfoReply {
    const session = simulator.sessions.forCode(code);
    const visible = { ...profile, language: 'zh_CN', city: '', province: '', country: '' };
    const rawData = JSON.stringify(visible);
    const data = {
        openId: session.openid,
        ...visible,
        watermark: { timestamp: Number(unixSeconds(new Date())), appid: watermarkAppId ?? simulator.merchant.appId },
    };
    return {
        ...encryptForSession(session.sessionKey, JSON.stringify(data)),
        rawData,
        signature: rawDataSignature(rawData, session.sessionKey),
    };
}
