// Signing in happens where it is needed: services/request.ts signs in before the first call that
// needs a token, and again when the API refuses one. Nothing to do at launch.
App({});
