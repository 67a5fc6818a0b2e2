import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * Real peers for notification tests: a stand-in SMS gateway (HTTP) and an SMTP server, each on a random
 * local port. Test code only; nothing in the server imports this file.
 */

export type GatewayRequest = {
  headers: IncomingHttpHeaders;
  body: { to: string; text: string; idempotencyKey: string };
  status: number;
};

export type SmsGateway = {
  url: string;
  requests: GatewayRequest[];
  /** Statuses to answer with, in order; when they run out every request gets `otherwise`. */
  script(statuses: number[], otherwise?: number): void;
  close(): Promise<void>;
};

export async function startSmsGateway(): Promise<SmsGateway> {
  const requests: GatewayRequest[] = [];
  let queue: number[] = [];
  let otherwise = 200;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = queue.shift() ?? otherwise;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as GatewayRequest['body'];
      requests.push({ headers: req.headers, body, status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(
        status < 300
          ? JSON.stringify({ id: `gw-${requests.length}` })
          : JSON.stringify({ error: status >= 500 ? 'upstream busy' : `rejected ${body.to}` }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sms`,
    requests,
    script(statuses, other = 200) {
      queue = [...statuses];
      otherwise = other;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type ReceivedMail = {
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  headers: Record<string, string>;
  text: string;
};

export type SmtpPeer = {
  url: string;
  received: ReceivedMail[];
  /** Reject the next `n` messages with this SMTP code (e.g. 451 transient, 550 permanent). */
  rejectNext(n: number, code: number): void;
  close(): Promise<void>;
};

export async function startSmtpPeer(): Promise<SmtpPeer> {
  const received: ReceivedMail[] = [];
  let rejections = 0;
  let rejectCode = 451;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (rejections > 0) {
          rejections -= 1;
          const err = Object.assign(new Error(`rejected with ${rejectCode}`), { responseCode: rejectCode });
          callback(err);
          return;
        }
        const parsed = parseMessage(Buffer.concat(chunks).toString('utf8'));
        received.push({
          ...parsed,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        });
        callback();
      });
    },
  });
  // A client that dies mid-session (the scale-out test kills a node with SIGKILL) resets its connection; like
  // a real mail server, the peer drops that session and goes on serving the others.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    rejectNext(n, code) {
      rejections = n;
      rejectCode = code;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Enough of RFC 5322/2047/2045 to read what nodemailer writes: headers, encoded words, one text part. */
function parseMessage(raw: string): Omit<ReceivedMail, 'from' | 'to'> {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const bodyRaw = raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  let text = bodyRaw;
  if (encoding === 'base64') text = Buffer.from(bodyRaw.replace(/\s+/g, ''), 'base64').toString('utf8');
  else if (encoding === 'quoted-printable') text = decodeQuotedPrintable(bodyRaw);
  return {
    subject: decodeWords(headers.subject ?? ''),
    messageId: headers['message-id'] ?? '',
    headers,
    text: text.replace(/\r\n/g, '\n').trim(),
  };
}

function decodeQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const soft = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeWords(s: string): string {
  const words = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  // Whitespace between two encoded words is not part of the text (RFC 2047 §6.2).
  const joined = s.replace(/\?=\s+=\?/g, '?==?');
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of joined.matchAll(words)) {
    parts.push(Buffer.from(joined.slice(last, m.index), 'utf8'));
    const data = m[3];
    parts.push(
      m[2].toUpperCase() === 'B'
        ? Buffer.from(data, 'base64')
        : Buffer.from(decodeQuotedPrintable(data.replace(/_/g, ' ')), 'utf8'),
    );
    last = (m.index ?? 0) + m[0].length;
  }
  parts.push(Buffer.from(joined.slice(last), 'utf8'));
  return Buffer.concat(parts).toString('utf8');
}
