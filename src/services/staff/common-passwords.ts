/**
 * Passwords of twelve characters or more found near the top of published leak lists (SecLists'
 * most common, and the Chinese sites' lists: 5201314, woaini…), lower-cased: refused for staff
 * whatever their length. A short list on purpose; the rate limit and argon2 do the rest.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
    '123456789012', '1234567890123', '12345678901234', '123456123456', '123123123123', '111111111111', '000000000000',
    '666666666666', '888888888888', '121212121212', '112233445566', '123456654321', '123456789abc', '1234567890ab',
    'abc123456789', 'abcd12345678', 'abcdefghijkl', 'a12345678910', 'a123456789012', 'qq123456789', 'aa1234567890',
    'password1234', 'password12345', 'password123!', 'password@123', 'passw0rd1234', 'p@ssw0rd1234', 'p@ssword1234',
    'passwordpassword', 'password2024', 'password2025', 'password2026', 'mypassword123', 'changeme1234', 'changeme123!',
    'qwertyuiop12', 'qwertyuiopas', 'qwerty123456', 'qwerty1234567', 'qwertyqwerty', '1q2w3e4r5t6y', '1qaz2wsx3edc',
    'zaq12wsxcde3', 'q1w2e3r4t5y6', 'asdfghjkl123', 'asdfasdfasdf', 'zxcvbnm12345', '1qazxsw23edc', 'qazwsxedcrfv',
    'iloveyou1234', 'iloveyou12345', 'letmein12345', 'welcome12345', 'welcome123!', 'welcome2024!', 'sunshine1234',
    'football1234', 'baseball1234', 'princess1234', 'dragon123456', 'monkey123456', 'superman1234', 'starwars1234',
    'administrator', 'administrator1', 'admin1234567', 'adminadmin123', 'admin@123456', 'root12345678', 'trustno1trust',
    'woaini1314520', 'woaini5201314', '5201314520', '13145201314520', '520131452013', '1314520520', 'woaiwojia1234',
    'aini1314520520', 'shopadmin123', 'shop12345678', 'wechat123456', 'weixin123456', 'wxpay1234567', 'merchant1234',
]);
