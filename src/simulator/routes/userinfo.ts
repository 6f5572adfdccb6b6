import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';

import { LOGIN_CODE } from '../sessions';
import type { Simulator } from '../simulator';
import { userInfoFor, type Profile } from '../userinfo';
import { failWithDetail, JSON_PAYLOAD } from './validation';

interface UserInfoRequest {
    readonly code: string;
    readonly userInfo: Profile;
    readonly watermarkAppId?: string;
}

const userInfoRequest = Joi.object<UserInfoRequest>({
    code: Joi.string().pattern(LOGIN_CODE).required(),
    userInfo: Joi.object({
        nickName: Joi.string().max(64).allow('').default('微信用户'),
        avatarUrl: Joi.string().max(1024).allow('').default(''),
        gender: Joi.number().valid(0, 1, 2).default(0),
    }).default(),
    watermarkAppId: Joi.string().max(64),
});

/** What wx.getUserInfo returns in the mini-program after wx.login gave it `code`. */
export function userInfoRoutes(simulator: Simulator): ServerRoute[] {
    return [{
        method: 'POST',
        path: '/simulator/userinfo',
        options: { payload: JSON_PAYLOAD, validate: { payload: userInfoRequest, failAction: failWithDetail } },
        handler: (request) => {
            const { code, userInfo, watermarkAppId } = request.payload as UserInfoRequest;
            return userInfoFor(simulator, code, userInfo, watermarkAppId);
        },
    }];
}
