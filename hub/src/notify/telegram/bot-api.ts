/** The few Bot API methods used (https://core.telegram.org/bots/api#making-requests). */
export interface TelegramUpdate {
  update_id: number;
  message?: {
    message_id: number;
    /** `language_code`: the IETF tag of the language the sender's Telegram is set to. */
    from?: { id: number; username?: string; language_code?: string };
    chat: { id: number; type: string };
    text?: string;
  };
}

export class TelegramApiError extends Error {
  constructor(
    readonly status: number,
    description: string,
  ) {
    super(`Telegram ${status}: ${description}`);
  }
}

export class BotApi {
  constructor(
    private readonly apiUrl: string,
    private readonly token: string,
  ) {}

  async call<T>(method: string, params: Record<string, unknown>, signal?: AbortSignal): Promise<T> {
    const response = await fetch(`${this.apiUrl}/bot${this.token}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
      signal,
    });
    const body = (await response.json().catch(() => ({}))) as {
      ok?: boolean;
      result?: T;
      description?: string;
    };
    if (!response.ok || !body.ok)
      throw new TelegramApiError(response.status, body.description ?? response.statusText);
    return body.result as T;
  }

  sendMessage(chatId: string | number, text: string, signal?: AbortSignal) {
    return this.call<{ message_id: number }>('sendMessage', { chat_id: chatId, text }, signal);
  }

  /**
   * Bot API "setWebhook": Telegram then POSTs every update to `url` with the header
   * `X-Telegram-Bot-Api-Secret-Token: secretToken`, and getUpdates stops working.
   */
  setWebhook(url: string, secretToken: string, signal?: AbortSignal) {
    return this.call<boolean>(
      'setWebhook',
      { url, secret_token: secretToken, allowed_updates: ['message'] },
      signal,
    );
  }

  /** Back to getUpdates: Telegram refuses it (409) while a webhook is set. */
  deleteWebhook(signal?: AbortSignal) {
    return this.call<boolean>('deleteWebhook', {}, signal);
  }

  getUpdates(offset: number, timeout: number, signal?: AbortSignal) {
    return this.call<TelegramUpdate[]>(
      'getUpdates',
      { offset, timeout, allowed_updates: ['message'] },
      signal,
    );
  }
}
