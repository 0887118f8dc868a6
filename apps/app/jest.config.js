/**
 * The app's component tests under React Native's own renderer with Android's module resolution
 * (`*.android.test.tsx`): what Metro bundles for the phone, not react-native-web. The web half of
 * each component is tested by Vitest on react-native-web and in Chromium.
 */
module.exports = {
  preset: 'jest-expo/android',
  testMatch: ['<rootDir>/src/**/*.android.test.{ts,tsx}'],
  testEnvironment: '<rootDir>/jest/environment.js',
  globalSetup: '<rootDir>/jest/server.js',
  globalTeardown: '<rootDir>/jest/stop-server.js',
  setupFiles: ['<rootDir>/jest/setup.js'],
  testTimeout: 20_000,
  transformIgnorePatterns: [
    'node_modules/(?!((jest-)?react-native|@react-native(-community)?|expo(nent)?|@expo(nent)?/.*|react-navigation|@react-navigation/.*|react-redux|@reduxjs/toolkit|immer|redux|reselect|@parley/.*))',
  ],
};
