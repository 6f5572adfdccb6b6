/** A production configuration that passes every start-up refusal: real-looking, strong, distinct secrets. */
export const PRODUCTION_ENV: Readonly<Record<string, string>> = {
    NODE_ENV: 'production',
    JWT_SECRET: 'a-real-production-secret-of-more-than-32-chars',
    STAFF_SESSION_SECRET: 'Another-Production-Secret-For-Staff-9173625',
    WX_APPID: 'wx1234567890abcdef',
    WX_SECRET: 'abcdefabcdefabcdefabcdefabcdef12',
    WX_MCHID: '1900000109',
    WX_PAY_API_KEY: 'Xk3pQ9vL2mN8rT5wY7zB1cD4fG6hJ0sA',
    WX_PAY_NOTIFY_URL: 'https://shop.example.com/orders/pay/notify',
    DATABASE_URL: 'mysql://shop:pw@db.internal:3306/shop',
};
