const fs = require('node:fs');
const { fileURLToPath } = require('node:url');

// AsyncStorage's own stand-in for Jest (in memory): there is no phone storage here.
jest.mock('@react-native-async-storage/async-storage', () =>
  require('@react-native-async-storage/async-storage/jest/async-storage-mock'),
);

// jest-expo answers as if inside Expo Go, where Android push is gone since SDK 53; Parley ships
// as its own build (a development or release build), which is what these tests are about.
jest.mock('expo', () => ({ ...jest.requireActual('expo'), isRunningInExpoGo: () => false }));

// The phone's side of Expo's notifications and pickers, and the build's app config
// (jest/phone.ts says why).
jest.mock('expo-constants', () => require('./phone').expoConstants);
jest.mock('expo-notifications', () => require('./phone').expoNotifications);
jest.mock('expo-document-picker', () => require('./phone').expoDocumentPicker);
jest.mock('expo-image-picker', () => require('./phone').expoImagePicker);

// React Native's FormData, and its networking's way with it: a part given as {uri, name, type}
// is read from the file it names into the multipart body, as Android's networking does.
// Underneath, Node's fetch carries the requests to the test's server (jest/environment.js).
const ReactNativeFormData = jest.requireActual('react-native/Libraries/Network/FormData').default;
const { fetch: nodeFetch, FormData: NodeFormData, Blob: NodeBlob } = globalThis.nodeNetwork;
globalThis.FormData = ReactNativeFormData;
globalThis.fetch = (input, init = {}) => {
  if (!(init.body instanceof ReactNativeFormData)) return nodeFetch(input, init);
  const body = new NodeFormData();
  for (const part of init.body.getParts()) {
    const field = /name="([^"]*)"/.exec(part.headers['content-disposition'])[1];
    if (part.uri === undefined) body.append(field, part.string);
    else body.append(field, new NodeBlob([fs.readFileSync(fileURLToPath(part.uri))], { type: part.type }), part.name);
  }
  return nodeFetch(input, { ...init, body });
};
