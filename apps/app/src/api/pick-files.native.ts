import * as DocumentPicker from 'expo-document-picker';
import * as ImagePicker from 'expo-image-picker';
import type { FilePickers, PickedFile } from './picked-file';

/** The phone's own pickers: the photo library, the camera and the system's document picker. */

function fromImage(asset: ImagePicker.ImagePickerAsset): PickedFile {
  const type = asset.mimeType ?? 'image/jpeg';
  const name = asset.fileName ?? `photo-${Date.now()}.${type === 'image/png' ? 'png' : 'jpg'}`;
  return { file: { uri: asset.uri, name, type }, name, type, size: asset.fileSize ?? null, previewUri: asset.uri };
}

function fromDocument(asset: DocumentPicker.DocumentPickerAsset): PickedFile {
  const type = asset.mimeType ?? 'application/octet-stream';
  return {
    file: { uri: asset.uri, name: asset.name, type },
    name: asset.name,
    type,
    size: asset.size ?? null,
    previewUri: type.startsWith('image/') ? asset.uri : null,
  };
}

async function image(): Promise<PickedFile | null> {
  // Android's photo picker needs no storage permission; the square crop suits avatars and logos.
  const result = await ImagePicker.launchImageLibraryAsync({
    mediaTypes: ['images'],
    allowsEditing: true,
    aspect: [1, 1],
    quality: 0.9,
  });
  return result.canceled || !result.assets[0] ? null : fromImage(result.assets[0]);
}

async function documents(): Promise<PickedFile[]> {
  // copyToCacheDirectory: a `content://` address may stop being readable once the picker closes.
  const result = await DocumentPicker.getDocumentAsync({ multiple: true, copyToCacheDirectory: true });
  return result.canceled ? [] : result.assets.map(fromDocument);
}

async function camera(): Promise<PickedFile | null> {
  const permission = await ImagePicker.requestCameraPermissionsAsync();
  if (!permission.granted) return null;
  const result = await ImagePicker.launchCameraAsync({ mediaTypes: ['images'], quality: 0.8 });
  return result.canceled || !result.assets[0] ? null : fromImage(result.assets[0]);
}

export const pickers: FilePickers = { image, documents, camera };
