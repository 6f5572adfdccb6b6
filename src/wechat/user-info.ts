import { createDecipheriv } from 'node:crypto';

export interface WxUserProfile {
    readonly nickName: string | null;
    readonly avatarUrl: string | null;
    readonly gender: number | null;
}

export class UserInfoError extends Error {
    override readonly name = 'UserInfoError';
}

/**
 * Decrypts getUserInfo's encryptedData: AES-128-CBC keyed with the session_key, and
 * trusted only when its watermark names our own appid.
 */
export function decryptUserInfo(encryptedData: string, iv: string, sessionKey: string, appId: string): WxUserProfile {
    let data: Record<string, unknown>;
    try {
        const decipher = createDecipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), Buffer.from(iv, 'base64'));
        const plain = Buffer.concat([decipher.update(Buffer.from(encryptedData, 'base64')), decipher.final()]);
        data = JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
    }
    catch {
        throw new UserInfoError('encryptedData could not be decrypted with this session');
    }
    const watermark = data.watermark as { appid?: unknown } | undefined;
    if (watermark?.appid !== appId) {
        throw new UserInfoError('encryptedData was not made for this mini-program (watermark appid)');
    }
    return {
        nickName: typeof data.nickName === 'string' ? data.nickName.slice(0, 255) : null,
        avatarUrl: typeof data.avatarUrl === 'string' ? data.avatarUrl.slice(0, 512) : null,
        gender: typeof data.gender === 'number' && Number.isInteger(data.gender) ? data.gender : null,
    };
}
