import type { Call } from '@parley/protocol';
import { useEffect, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { StyleSheet, Text, View } from 'react-native';
import { errorText } from '../i18n/error-text';
import { callDevice } from '../calls/call-device';
import { callMedia } from '../calls/call-media';
import type { RemotePeer } from '../calls/call-mesh';
import { ringtone } from '../calls/ringtone';
import { useUsers } from '../chat/users';
import { personName } from '../people/person-name';
import { useAppDispatch, useAppSelector } from '../store';
import {
  answerCall,
  declineCall,
  hangUp,
  problemSeen,
  selectElsewhere,
  selectHere,
  selectRinging,
} from '../store/calls';
import { useTheme } from '../theme/theme';
import { Button } from './Button';
import { CallVideo } from './CallVideo';

const useCallDevice = () => useSyncExternalStore(callDevice.subscribe, callDevice.view);

/** The names of a call's people, by id ("Someone" until known). */
function useNames(call: Call | undefined): (userId: string) => string {
  const { t } = useTranslation();
  const users = useUsers(call?.participants.map((p) => p.userId) ?? []);
  return (userId) => personName(users.get(userId), t) ?? t('calls.someone');
}

const QUALITY_COLOURS = { connecting: '#9ca3af', good: '#16a34a', fair: '#d97706', poor: '#dc2626' } as const;

/** One person's tile: their picture (or their name on a dark tile), and how their link is doing. */
function Tile({ remote, name }: { remote: RemotePeer; name: string }) {
  const { t } = useTranslation();
  const quality = t(`calls.quality.${remote.quality}`);
  return (
    <View style={styles.tile} role="group" aria-label={t('calls.tile', { name, quality })} testID="call-tile">
      <CallVideo stream={remote.stream} label={t('calls.videoOf', { name })} visible={remote.video} />
      {remote.video ? null : <Text style={styles.tileName}>{name}</Text>}
      <View style={styles.tileFoot}>
        <View style={[styles.dot, { backgroundColor: QUALITY_COLOURS[remote.quality] }]} />
        <Text style={styles.tileLabel} numberOfLines={1}>
          {name} · {quality}
        </Text>
      </View>
    </View>
  );
}

/** The call this device is in: who, their pictures, and the controls. */
function InCall({ call }: { call: Call }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const device = useCallDevice();
  const nameOf = useNames(call);
  const ringing = call.participants.filter((p) => p.state === 'ringing').map((p) => nameOf(p.userId));
  const waiting = device.remotes.length === 0;
  // A video call answered without a camera (none, or busy) is a voice call for this device.
  const video = call.kind === 'video' && !!device.local?.getVideoTracks().length;
  const status = waiting
    ? ringing.length > 0
      ? t('calls.ringing', { names: ringing.join(', ') })
      : t('calls.waiting')
    : t('calls.inCall', { count: device.remotes.length + 1 });
  return (
    <View
      style={[styles.panel, { backgroundColor: colors.surface, borderColor: colors.border }]}
      role="region"
      aria-label={t('calls.panel')}
      testID="call-panel"
    >
      <Text style={[styles.status, { color: colors.text }]} aria-live="polite" testID="call-status">
        {status}
      </Text>
      <View style={styles.tiles}>
        {device.remotes.map((remote) => (
          <Tile key={remote.userId} remote={remote} name={nameOf(remote.userId)} />
        ))}
        {device.sharing ? (
          <View style={[styles.tile, styles.selfTile]}>
            <CallVideo stream={device.sharing} muted label={t('calls.sharingNow')} visible />
            <View style={styles.tileFoot}>
              <Text style={styles.tileLabel}>{t('calls.sharingNow')}</Text>
            </View>
          </View>
        ) : device.local && video ? (
          <View style={[styles.tile, styles.selfTile]}>
            <CallVideo stream={device.local} muted mirrored label={t('calls.you')} visible={device.cameraOn} />
          </View>
        ) : null}
      </View>
      <View style={styles.controls}>
        <Button
          variant="secondary"
          label={device.muted ? t('calls.unmute') : t('calls.mute')}
          onPress={() => callDevice.toggleMute()}
        />
        {video ? (
          <Button
            variant="secondary"
            label={device.cameraOn ? t('calls.cameraOff') : t('calls.cameraOn')}
            onPress={() => callDevice.toggleCamera()}
          />
        ) : null}
        {callMedia.canShareScreen() ? (
          <Button
            variant="secondary"
            label={device.sharing ? t('calls.stopSharing') : t('calls.share')}
            onPress={() => void callDevice.toggleScreen().catch(() => undefined)}
          />
        ) : null}
        {device.choices.audio > 1 ? (
          <Button
            variant="secondary"
            label={t('calls.switchMicrophone')}
            onPress={() => void callDevice.switchDevice('audio')}
          />
        ) : null}
        {video && device.choices.video > 1 ? (
          <Button
            variant="secondary"
            label={t('calls.switchCamera')}
            onPress={() => void callDevice.switchDevice('video')}
          />
        ) : null}
        <Button variant="danger" label={t('calls.hangUp')} onPress={() => void dispatch(hangUp(call.id))} />
      </View>
    </View>
  );
}

/** A call ringing for the user: who, what kind, answer or decline (on any of their devices). */
function Ringing({ call }: { call: Call }) {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const nameOf = useNames(call);
  const busy = useAppSelector((s) => s.calls.hereId !== null);
  const text = t(call.kind === 'video' ? 'calls.incomingVideo' : 'calls.incomingVoice', {
    name: nameOf(call.startedBy),
  });
  return (
    <View
      style={[styles.banner, { backgroundColor: colors.surface, borderColor: colors.border }]}
      role="alertdialog"
      aria-label={text}
      testID="call-ringing"
    >
      <Text style={[styles.bannerText, { color: colors.text }]}>{text}</Text>
      {busy ? null : <Button label={t('calls.answer')} onPress={() => void dispatch(answerCall(call))} />}
      <Button variant="danger" label={t('calls.decline')} onPress={() => void dispatch(declineCall(call.id))} />
    </View>
  );
}

/**
 * What this device plays: the ringtone while someone calls (on each device that rings), the
 * ringback while its own call rings at the others'; silence once anyone answers.
 */
function useCallTones(ringing: readonly Call[], here: Call | undefined) {
  const selfId = useAppSelector((s) => s.session.user?.id);
  const calling = here?.state === 'ringing' && here.startedBy === selfId;
  const tone = calling ? 'ringback' : !here && ringing.length > 0 ? 'incoming' : null;
  useEffect(() => {
    if (tone) ringtone.play(tone);
    else ringtone.stop();
  }, [tone]);
  useEffect(() => () => ringtone.stop(), []);
}

/**
 * Calls over every screen: what rings (answer, decline), the call this device is in, a call the
 * user is in elsewhere (join here), and why a call could not go ahead.
 */
export function CallBar() {
  const { t } = useTranslation();
  const { colors } = useTheme();
  const dispatch = useAppDispatch();
  const ringing = useAppSelector(selectRinging);
  const here = useAppSelector(selectHere);
  useCallTones(ringing, here);
  const elsewhere = useAppSelector(selectElsewhere);
  const problem = useAppSelector((s) => s.calls.problem);
  if (!here && !elsewhere && ringing.length === 0 && !problem) return null;
  return (
    <View style={styles.bar}>
      {ringing.map((call) => (
        <Ringing key={call.id} call={call} />
      ))}
      {here ? <InCall call={here} /> : null}
      {!here && elsewhere ? (
        <View style={[styles.banner, { backgroundColor: colors.surface, borderColor: colors.border }]}>
          <Text style={[styles.bannerText, { color: colors.text }]}>{t('calls.elsewhere')}</Text>
          <Button label={t('calls.joinHere')} onPress={() => void dispatch(answerCall(elsewhere))} />
          <Button variant="danger" label={t('calls.hangUp')} onPress={() => void dispatch(hangUp(elsewhere.id))} />
        </View>
      ) : null}
      {problem ? (
        <View style={[styles.banner, { backgroundColor: colors.surface, borderColor: colors.border }]} role="alert">
          <Text style={[styles.bannerText, { color: colors.danger }]}>
            {problem === 'media'
              ? t('calls.mediaRefused')
              : problem === 'conflict'
                ? t('calls.conflict')
                : errorText(t, { code: problem, fields: {} })}
          </Text>
          <Button variant="link" label={t('calls.dismiss')} onPress={() => dispatch(problemSeen())} />
        </View>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  bar: { paddingHorizontal: 8, paddingTop: 8 },
  banner: {
    flexDirection: 'row',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: 8,
    borderWidth: 1,
    borderRadius: 12,
    padding: 10,
    marginBottom: 8,
  },
  bannerText: { flex: 1, minWidth: 180, fontSize: 15, fontWeight: '600' },
  panel: { borderWidth: 1, borderRadius: 12, padding: 10, marginBottom: 8 },
  status: { fontSize: 15, fontWeight: '600', marginBottom: 8 },
  tiles: { flexDirection: 'row', flexWrap: 'wrap', gap: 8 },
  tile: {
    width: 240,
    height: 160,
    borderRadius: 8,
    backgroundColor: '#1f2937',
    overflow: 'hidden',
    alignItems: 'center',
    justifyContent: 'center',
  },
  selfTile: { width: 160, height: 120 },
  tileName: { position: 'absolute', color: '#f9fafb', fontSize: 18, fontWeight: '700' },
  tileFoot: {
    position: 'absolute',
    left: 6,
    bottom: 6,
    right: 6,
    flexDirection: 'row',
    alignItems: 'center',
  },
  dot: { width: 10, height: 10, borderRadius: 5, marginRight: 6 },
  tileLabel: { color: '#f9fafb', fontSize: 12, textShadowColor: '#000', textShadowRadius: 2 },
  controls: { flexDirection: 'row', flexWrap: 'wrap', gap: 8, marginTop: 10 },
});
