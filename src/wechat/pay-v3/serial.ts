// What a `Wechatpay-Serial` names. Two kinds of key sign WeChat Pay's replies and notifications:
// a platform certificate, named by its X.509 serial number (40 hex digits, in either case), and
// the WeChat Pay public key, named by an id `PUB_KEY_ID_…` that is a name, not a number (SDKs
// that parsed it as hex crashed on the first notification signed with it).

export const PUBLIC_KEY_ID_PREFIX = 'PUB_KEY_ID_';

const PUBLIC_KEY_ID = /^PUB_KEY_ID_[0-9A-Za-z_-]{1,64}$/;
/** RFC 5280 serials are at most 20 octets; WeChat's are 20, written as 40 hex digits. */
const CERTIFICATE_SERIAL = /^[0-9A-Fa-f]{1,40}$/;

/** A certificate is a platform certificate (or, to the simulator, the merchant's: requests name it by the same kind of serial). */
export type KeyKind = 'public-key' | 'certificate';

export interface KeyName {
    readonly kind: KeyKind;
    /** The form keys are filed under: the id exactly as given, or the serial in upper case. */
    readonly serial: string;
}

/** The key a serial names, in the form keys are filed under; undefined when it is neither kind. */
export function readKeyName(text: string): KeyName | undefined {
    if (text.startsWith(PUBLIC_KEY_ID_PREFIX)) {
        return PUBLIC_KEY_ID.test(text) ? { kind: 'public-key', serial: text } : undefined;
    }
    return CERTIFICATE_SERIAL.test(text) ? { kind: 'certificate', serial: text.toUpperCase() } : undefined;
}
