const ReactNativeEnvironment = require('@react-native/jest-preset/jest/react-native-env.js');

/**
 * React Native's test environment, plus the phone's networking for the app's client: Node's own
 * fetch for jest/setup.js (jest-expo puts `expo/fetch` in its place, whose native half does not
 * exist under Jest), and the `ws` package for React Native's WebSocket.
 */
module.exports = class PhoneEnvironment extends ReactNativeEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.nodeNetwork = { fetch, FormData, Blob };
    this.global.WebSocket = require('ws');
  }
};
