// Expo's own preset, said out loud so Jest (jest-expo) transforms the app as Metro does.
module.exports = function babelConfig(api) {
  api.cache(true);
  return { presets: ['babel-preset-expo'] };
};
