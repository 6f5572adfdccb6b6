import { config } from '../config';
import type { LoginResult } from './api-types';

// The only caller of wx.request. It signs in before the first call that needs a token, sends the
// token, signs in again once when the API refuses it (expired, or issued under another secret)
// and retries, and turns every failure into words a shopper can read.

const TOKEN_KEY = 'token';

type Method = 'GET' | 'POST';
/** GET data goes into the query string, POST data is sent as JSON (wx.request's rules). */
type Data = Record<string, unknown>;

interface Reply {
  statusCode: number;
  data: unknown;
  header: Record<string, string>;
}

/** A call that failed; `message` is written for the shopper. `statusCode` when the API answered. */
export class ApiError extends Error {
  constructor(message: string, readonly statusCode?: number) {
    super(message);
    this.name = 'ApiError';
  }
}

interface RequestOptions {
  /** false for the calls that need no token (sign-in itself, shops, goods). */
  signedIn?: boolean;
}

export async function request<T>(method: Method, path: string, data?: Data, { signedIn = true }: RequestOptions = {}): Promise<T> {
  if (!signedIn) {
    return accept<T>(await send(method, path, data));
  }
  const token = await currentToken();
  const reply = await send(method, path, data, token);
  if (reply.statusCode !== 401) {
    return accept<T>(reply);
  }
  // A 401 is answered before the route runs, so even a POST is safe to send again.
  return accept<T>(await send(method, path, data, await tokenOtherThan(token)));
}

/** wx.login's code → the API's token, kept in storage. */
async function signIn(): Promise<string> {
  const { code } = await wx.login().catch(({ errMsg }: WechatMiniprogram.GeneralCallbackResult) => {
    throw new ApiError(`WeChat could not sign you in (${errMsg}). Try again.`);
  });
  const { token } = await request<LoginResult>('POST', '/users/wxLogin', { code }, { signedIn: false });
  wx.setStorageSync(TOKEN_KEY, token);
  return token;
}

let signingIn: Promise<string> | undefined;

/** One sign-in however many calls need it at once. */
function sharedSignIn(): Promise<string> {
  if (signingIn === undefined) {
    const settle = () => {
      signingIn = undefined;
    };
    signingIn = signIn();
    signingIn.then(settle, settle);
  }
  return signingIn;
}

function currentToken(): Promise<string> {
  const token: string = wx.getStorageSync(TOKEN_KEY);
  return token ? Promise.resolve(token) : sharedSignIn();
}

/** A token the API has not refused: one another call signed in for meanwhile, or a new sign-in's. */
function tokenOtherThan(refused: string): Promise<string> {
  const token: string = wx.getStorageSync(TOKEN_KEY);
  if (token && token !== refused) {
    return Promise.resolve(token);
  }
  wx.removeStorageSync(TOKEN_KEY);
  return sharedSignIn();
}

function send(method: Method, path: string, data: Data | undefined, token?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    wx.request({
      url: config.apiBase + path,
      method,
      data: data as WechatMiniprogram.IAnyObject | undefined,
      timeout: config.requestTimeoutMs,
      header: token ? { Authorization: `Bearer ${token}` } : {},
      success: ({ statusCode, data: body, header }) => resolve({ statusCode, data: body, header }),
      fail: ({ errMsg }) => reject(new ApiError(/timeout/.test(errMsg)
        ? 'The shop took too long to answer. Try again.'
        : 'Cannot reach the shop. Check your connection and try again.')),
    });
  });
}

function accept<T>(reply: Reply): T {
  if (reply.statusCode >= 200 && reply.statusCode < 300) {
    return reply.data as T;
  }
  throw new ApiError(wordsFor(reply), reply.statusCode);
}

/** Every API error is `{ statusCode, error, message }`; a 4xx's message names what was wrong. */
function wordsFor({ statusCode, data, header }: Reply): string {
  if (statusCode === 401) {
    return 'WeChat could not sign you in. Try again.';
  }
  if (statusCode === 429) {
    const seconds = header['Retry-After'] || header['retry-after'];
    return `Too many tries. Try again in ${seconds || 'a few'} seconds.`;
  }
  if (statusCode === 502 || statusCode === 503 || statusCode === 504) {
    return 'WeChat Pay or the shop is busy. Try again in a moment.';
  }
  if (statusCode >= 500) {
    return 'Something went wrong at the shop. Try again later.';
  }
  const message = (data as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message !== '' ? message : `The shop refused this (HTTP ${statusCode}).`;
}

/** The words to show for anything a call threw. */
export function wordsOf(error: unknown): string {
  return error instanceof ApiError ? error.message : 'Something went wrong. Try again.';
}
