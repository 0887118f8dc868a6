import { ParleyError } from '@parley/client';
import type {
  ErrorCode,
  FieldIssue,
  GuestSession,
  MessagePage,
  StartGuestBody,
  Ticket,
  WidgetChallenge,
} from '@parley/protocol';

/** `{error: {...}}`, as every failing route answers. */
interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: { fields?: FieldIssue[] };
}

/**
 * The few server routes the widget calls, on its own origin (the frame is served by Parley).
 * A guest's token reaches nothing else: `/widget/*` and its own conversation's messages.
 */
async function request<T>(method: 'GET' | 'POST', path: string, token?: string | null, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new ParleyError(0, 'network', error instanceof Error ? error.message : 'The server could not be reached');
  }
  const answer = (await response.json().catch(() => null)) as unknown;
  if (response.ok && answer) return answer as T;
  const { error } = (answer ?? {}) as { error?: ErrorBody };
  throw new ParleyError(
    response.status,
    error?.code ?? 'internal',
    error?.message ?? `HTTP ${response.status}`,
    error?.details,
  );
}

export const widgetApi = {
  challenge: (key: string) => request<WidgetChallenge>('GET', `/widget/challenge?key=${encodeURIComponent(key)}`),
  startSession: (body: StartGuestBody) => request<GuestSession>('POST', '/widget/sessions', null, body),
  conversation: (token: string) => request<{ ticket: Ticket | null }>('GET', '/widget/conversation', token),
  openConversation: (token: string, body: { clientMsgId: string; body: string }) =>
    request<{ ticket: Ticket }>('POST', '/widget/conversation', token, body),
  messages: (token: string, conversationId: string, beforeSeq?: number) =>
    request<MessagePage>(
      'GET',
      `/conversations/${encodeURIComponent(conversationId)}/messages?limit=50${beforeSeq ? `&beforeSeq=${beforeSeq}` : ''}`,
      token,
    ),
};
export type WidgetApi = typeof widgetApi;
