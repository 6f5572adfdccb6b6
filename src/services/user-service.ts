import Boom from '@hapi/boom';
import { UniqueConstraintError } from 'sequelize';

import type { Models, User } from '../models';
import { decryptUserInfo, UserInfoError, type WxUserProfile } from '../wechat/user-info';
import { ReadCache, type CacheLimits } from './read-cache';
import type { TokenService } from './token-service';
import type { WxLoginService } from './wx-login-service';

export interface LoginResult {
    readonly token: string;
    readonly userId: number;
}

export interface WxLoginInput {
    readonly code: string;
    readonly encryptedData?: string;
    readonly iv?: string;
}

export interface Credentials {
    readonly id: number;
    readonly openId: string;
}

/**
 * The caller's token passed the token check (its user was cached), but the user's row is gone:
 * answered like any token whose user no longer exists (src/plugins/error-mapping.ts).
 */
export class UserGoneError extends Error {
    override readonly name = 'UserGoneError';

    constructor(readonly userId: number) {
        super(`user ${userId} no longer exists`);
    }
}

/** The openid of the tutorial's dev user (POST /users/createJWT); never reachable in production. */
const DEV_USER_OPEN_ID = 'o_dev_user_000000000000000000';

export class UserService {
    /** The auth plugin reads a token's user on every request; a deleted user's token works for at most the cache's ttl. */
    private readonly credentials: ReadCache<number, Credentials | null>;

    constructor(
        private readonly models: Models,
        private readonly wxLogin: WxLoginService,
        private readonly tokens: TokenService,
        private readonly appId: string,
        cache: CacheLimits,
    ) {
        this.credentials = new ReadCache(cache);
    }

    async loginWithWechat({ code, encryptedData, iv }: WxLoginInput): Promise<LoginResult> {
        const session = await this.wxLogin.code2Session(code);
        let profile: WxUserProfile | undefined;
        if (encryptedData !== undefined && iv !== undefined) {
            try {
                profile = decryptUserInfo(encryptedData, iv, session.sessionKey, this.appId);
            }
            catch (error) {
                if (error instanceof UserInfoError) {
                    throw Boom.badRequest(error.message);
                }
                throw error;
            }
        }
        const user = await this.upsert(session.openId, { sessionKey: session.sessionKey, ...profile });
        return { token: this.tokens.issue(user.id), userId: user.id };
    }

    async loginAsDevUser(): Promise<LoginResult> {
        const user = await this.upsert(DEV_USER_OPEN_ID, { nickName: 'dev user' });
        return { token: this.tokens.issue(user.id), userId: user.id };
    }

    /** The signed-in user as the auth plugin needs it; null once the user is gone. */
    findCredentials(userId: number): Promise<Credentials | null> {
        return this.credentials.get(userId, async () => {
            const user = await this.models.User.findByPk(userId, { attributes: ['id', 'openId'], raw: true });
            return user && Object.freeze({ id: user.id, openId: user.openId });
        }, (user) => user !== null);
    }

    private async upsert(openId: string, fields: Partial<Pick<User, 'sessionKey' | 'nickName' | 'avatarUrl' | 'gender'>>): Promise<User> {
        const existing = await this.models.User.findOne({ where: { openId } });
        if (existing) {
            return existing.update(fields);
        }
        try {
            return await this.models.User.create({ openId, sessionKey: null, nickName: null, avatarUrl: null, gender: null, ...fields });
        }
        catch (error) {
            // Two first logins of one user at once: the other one created the row.
            if (error instanceof UniqueConstraintError) {
                const created = await this.models.User.findOne({ where: { openId } });
                if (created) {
                    return created.update(fields);
                }
            }
            throw error;
        }
    }
}
