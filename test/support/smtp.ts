import type net from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { parseMail, type ParsedMail } from '../../hub/src/notify/mail-in/parse-mail.js';

export interface ReceivedMail {
  /** The envelope's recipients. */
  to: string[];
  mail: ParsedMail;
}

/**
 * A real SMTP server on a free loopback port that keeps every mail it accepts, parsed; `refuse`
 * lists mailboxes it answers 550 for, and while `busy()` says so it answers every mail 451 (a
 * temporary failure the hub must retry). `url` is the hub's `BW_SMTP_URL`.
 */
export async function startSmtpReceiver(options: { refuse?: string[]; busy?: () => boolean } = {}) {
  const mails: ReceivedMail[] = [];
  const onRcptTo: SMTPServerOptions['onRcptTo'] = (address, _session, callback) => {
    if (!options.refuse?.includes(address.address)) return callback();
    const refusal = new Error(`5.1.1 ${address.address}: no such mailbox`);
    callback(Object.assign(refusal, { responseCode: 550 }));
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo,
    onData(stream, session, callback) {
      parseMail(stream)
        .then((mail) => {
          if (options.busy?.()) {
            const busy = new Error('busy, try later');
            return callback(Object.assign(busy, { responseCode: 451 }));
          }
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    mails,
    url: `smtp://127.0.0.1:${(server.server.address() as net.AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
