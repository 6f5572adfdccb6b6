const api = require('./api');

App({
  /** Resolves once the user is signed in; pages await it before calling the API. */
  signedIn: null,

  onLaunch() {
    this.signedIn = new Promise((resolve, reject) => {
      wx.login({
        success: ({ code }) => api.login(code)
          .then(({ token }) => {
            wx.setStorageSync('token', token);
            resolve();
          })
          .catch(reject),
        fail: (error) => reject(new Error(error.errMsg)),
      });
    });
  },
});
