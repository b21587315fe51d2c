import net, { type AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message the test SMTP server accepted, parsed. */
export interface ReceivedMail {
  /** The envelope: MAIL FROM and the RCPT TO addresses the server accepted. */
  envelope: { from: string | null; to: string[] };
  /** The From header's address. */
  from: string | undefined;
  /** The To header's addresses. */
  to: string[];
  subject: string | undefined;
  text: string | undefined;
  /** The HTML part, or undefined when the message has none. */
  html: string | undefined;
  /** The Message-ID header, angle brackets included (`<id@host>`). */
  messageId: string | undefined;
  date: Date | undefined;
  headers: Map<string, unknown>;
}

/** A real SMTP server on 127.0.0.1 that keeps what it receives. */
export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>`, for `createMailer({ url, from })`. */
  url: string;
  port: number;
  /** Every accepted message, in the order the server accepted them. */
  received: ReceivedMail[];
  /** The messages accepted for `address` (an envelope recipient, compared case-insensitively). */
  receivedBy(address: string): ReceivedMail[];
  /**
   * Waits until `count` messages for `address` have arrived (all of them when `address` is
   * omitted) and returns them; bounded by the test's own timeout.
   */
  waitFor(count: number, address?: string): Promise<ReceivedMail[]>;
  /**
   * Makes RCPT TO `address` answer `code` (451: try later; 550: no such mailbox) until
   * `accept(address)`.
   */
  refuse(address: string, code: 451 | 550): void;
  accept(address: string): void;
  close(): Promise<void>;
}

const lower = (address: string) => address.toLowerCase();
const addressesOf = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field : field ? [field] : [])
    .flatMap((group) => group.value)
    .flatMap((entry) => (entry.address ? [entry.address] : []));

const REPLIES = {
  451: '451 4.3.0 Mailbox temporarily unavailable, try again later',
  550: '550 5.1.1 No such mailbox here',
} as const;

/**
 * Starts an SMTP server (the `smtp-server` package, speaking real SMTP) on 127.0.0.1 and a free
 * port. It needs no authentication but accepts any credentials offered, does not offer STARTTLS
 * (so plain `smtp://` URLs work), and acknowledges a message only once it has parsed and stored
 * it: when a sender's `send` resolves, the message is already in `received`.
 */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const refused = new Map<string, 451 | 550>();
  const waiters = new Set<() => void>();

  const server = new SMTPServer({
    logger: false,
    // Closing does not wait for clients' idle pooled connections: they are told 421 and dropped.
    closeTimeout: 1,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
    onRcptTo(address, _session, callback) {
      const code = refused.get(lower(address.address));
      if (!code) return callback();
      const error = Object.assign(new Error(REPLIES[code].slice(4)), { responseCode: code });
      callback(error);
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            },
            from: mail.from?.value[0]?.address,
            to: addressesOf(mail.to),
            subject: mail.subject,
            text: mail.text,
            html: mail.html === false ? undefined : mail.html,
            messageId: mail.messageId,
            date: mail.date,
            headers: mail.headers,
          });
          for (const wake of waiters) wake();
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => {});
  const { port } = server.server.address() as AddressInfo;

  const receivedBy = (address: string) =>
    received.filter((mail) => mail.envelope.to.some((to) => lower(to) === lower(address)));
  const matching = (address: string | undefined) =>
    address === undefined ? received : receivedBy(address);

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    receivedBy,
    waitFor(count, address) {
      return new Promise((resolve) => {
        const check = () => {
          const mails = matching(address);
          if (mails.length < count) return;
          waiters.delete(check);
          resolve(mails);
        };
        waiters.add(check);
        check();
      });
    },
    refuse: (address, code) => void refused.set(lower(address), code),
    accept: (address) => void refused.delete(lower(address)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Starts a test SMTP server before a spec file's tests and stops it after them: call it at the
 * top level of the file and use the object it returns in hooks and tests only.
 */
export function useSmtpServer(): TestSmtpServer {
  let started: TestSmtpServer | undefined;
  beforeAll(async () => {
    started = await startSmtpServer();
  });
  afterAll(() => started?.close());
  const smtp = (): TestSmtpServer => {
    if (!started) throw new Error('the SMTP server starts in beforeAll: use it in hooks and tests');
    return started;
  };
  return {
    get url() {
      return smtp().url;
    },
    get port() {
      return smtp().port;
    },
    get received() {
      return smtp().received;
    },
    receivedBy: (address) => smtp().receivedBy(address),
    waitFor: (count, address) => smtp().waitFor(count, address),
    refuse: (address, code) => smtp().refuse(address, code),
    accept: (address) => smtp().accept(address),
    close: () => smtp().close(),
  };
}

/**
 * The URL of an SMTP server that is down: a port on 127.0.0.1 that was free a moment ago and
 * that nothing listens on, so connecting is refused.
 */
export async function downSmtpUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `smtp://127.0.0.1:${port}`;
}
