import { IdSchema } from '@parley/protocol';
import type { ExpoPushReceipt } from 'expo-server-sdk';
import { z } from 'zod';
import type { PushConfig } from '../config';
import type { Db } from '../db/connect';
import { enqueueJob } from '../jobs/job-queue';
import type { JobRunner } from '../jobs/job-runner';
import { defineJobType, RetryLaterError } from '../jobs/job-type';
import { postToExpo } from './expo-sender';
import { deleteDevice } from './push-repository';

/**
 * Expo answers a push with a ticket at once, and only later, in a receipt, says whether the
 * phone's push service (FCM) took it. A token Android has forgotten (app uninstalled) shows up
 * there as `DeviceNotRegistered`, so receipts are how a dead Android device is forgotten. Expo
 * keeps receipts for a day and asks to fetch them after about 15 minutes.
 */
export const RECEIPT_DELAY_MS = 15 * 60_000;

export const expoReceiptJob = defineJobType(
  'push.expo_receipt',
  z.object({ workspaceId: IdSchema, deviceId: IdSchema, receiptId: z.string().min(1).max(100) }),
  // Not ready yet: ask again every 15 minutes, for an hour; a receipt never fetched harms nobody.
  { maxAttempts: 4, backoffMs: RECEIPT_DELAY_MS, maxBackoffMs: RECEIPT_DELAY_MS, leaseMs: 60_000 },
);

/** Asks for the receipt of an accepted Expo push in 15 minutes. */
export function enqueueExpoReceipt(
  db: Db,
  check: { workspaceId: string; deviceId: string; receiptId: string },
  now: number,
) {
  return enqueueJob(db, { type: expoReceiptJob, payload: check, runAt: now + RECEIPT_DELAY_MS });
}

/** `…/push/send` → `…/push/getReceipts`: the two sit side by side in Expo's API (and its stand-ins). */
export const receiptsUrlOf = (sendUrl: string) => sendUrl.replace(/\/push\/send$/, '/push/getReceipts');

export interface ExpoReceiptDeps {
  db: Db;
  push: PushConfig;
  log: { info(details: object, message: string): void; warn(details: object, message: string): void };
}

export function registerExpoReceipts(jobs: JobRunner, deps: ExpoReceiptDeps): void {
  jobs.register(expoReceiptJob, async ({ workspaceId, deviceId, receiptId }) => {
    const receipt = await fetchReceipt(deps.push, receiptId);
    if (receipt === undefined) throw new RetryLaterError(`Expo has no receipt ${receiptId} yet`, RECEIPT_DELAY_MS);
    if (receipt.status === 'ok') return;
    const error = receipt.details?.error;
    const details = { push: { workspaceId, deviceId, receiptId, error, message: receipt.message } };
    if (error === 'DeviceNotRegistered') {
      await deleteDevice(deps.db, { workspaceId }, deviceId);
      deps.log.info(details, 'push device gone (Expo receipt); removed');
    } else {
      // MessageTooBig, MessageRateExceeded, or credentials (InvalidCredentials, MismatchSenderId):
      // nothing a retry of this push fixes; the log tells the operator.
      deps.log.warn(details, 'Expo could not deliver a push');
    }
  });
}

async function fetchReceipt(config: PushConfig, id: string): Promise<ExpoPushReceipt | undefined> {
  let response: Response;
  try {
    response = await postToExpo(config, receiptsUrlOf(config.expoPushUrl), { ids: [id] });
  } catch (error) {
    throw new Error(`Expo push service unreachable: ${(error as Error).message}`);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) throw new Error(`Expo push service answered ${response.status}: ${text.slice(0, 200)}`);
  return (JSON.parse(text) as { data?: Record<string, ExpoPushReceipt> }).data?.[id];
}
