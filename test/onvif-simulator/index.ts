import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { answer, DEFAULT_IDENTITY, PRE_AUTH, type DeviceIdentity } from './device.js';
import { DiscoveryResponder, WSD_PORT } from './discovery.js';
import { SnapshotGuard, type SnapshotAuth } from './http-auth.js';
import { tinyJpeg } from './jpeg.js';
import { envelope, faultEnvelope, faultStatus, notAuthorized, type Fault } from './soap.js';
import { UsernameTokenVerifier, type Credentials, type UsernameToken } from './wsse.js';

export { tinyJpeg } from './jpeg.js';
export { passwordDigest, UsernameTokenVerifier } from './wsse.js';
export { DiscoveryResponder, WSD_GROUP, WSD_PORT } from './discovery.js';

export interface SimulatorOptions {
  /** Address to listen on; a loopback address in tests. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  username?: string;
  password?: string;
  identity?: DeviceIdentity;
  snapshotAuth?: SnapshotAuth;
  /** Answer WS-Discovery Probes on this interface address (joins 239.255.255.250 there). */
  discoveryInterface?: string;
  discoveryPort?: number;
}

/** Faults a test switches on and off while the simulator runs. */
export interface SimulatorFaults {
  /** Every SOAP answer waits this long first. */
  delayMs: number;
  /** The snapshot URL answers with this HTTP status and no picture when not 200. */
  snapshotStatus: number;
  /** The device clock runs this far ahead (negative: behind) of the real one. */
  clockOffsetSeconds: number;
}

const JPEG = tinyJpeg();
const SOAP_PATHS = new Set(['/onvif/device_service', '/onvif/media_service']);
const MAX_BODY = 256 * 1024;

/**
 * A small ONVIF device (Profile S subset) over SOAP 1.2 / HTTP, with real WS-UsernameToken
 * PasswordDigest checks, a JPEG snapshot behind HTTP auth, optional WS-Discovery answers, and
 * faults that can be switched at run time. See README.md.
 */
export class OnvifSimulator {
  readonly faults: SimulatorFaults = { delayMs: 0, snapshotStatus: 200, clockOffsetSeconds: 0 };
  /** SOAP actions received, in order, with whether they carried a UsernameToken. */
  readonly calls: { action: string; authenticated: boolean }[] = [];
  readonly endpoint = `urn:uuid:${randomUUID()}`;
  private credentials: Credentials;
  private readonly identity: DeviceIdentity;
  private readonly verifier = new UsernameTokenVerifier();
  private readonly guard: SnapshotGuard;
  private readonly parser = new XMLParser({
    removeNSPrefix: true,
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
  });
  private server: Server | null = null;
  private discovery: DiscoveryResponder | null = null;
  private host: string;
  private boundPort: number;

  constructor(private readonly options: SimulatorOptions = {}) {
    this.host = options.host ?? '127.0.0.1';
    this.boundPort = options.port ?? 0;
    this.credentials = {
      username: options.username ?? 'admin',
      password: options.password ?? 'secret',
    };
    this.identity = options.identity ?? DEFAULT_IDENTITY;
    this.guard = new SnapshotGuard(options.snapshotAuth ?? 'digest');
  }

  get port(): number {
    return this.boundPort;
  }

  /** http://host:port, IPv6 in brackets. */
  get base(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.boundPort}`;
  }

  get deviceServiceUrl(): string {
    return `${this.base}/onvif/device_service`;
  }

  async start(): Promise<this> {
    await this.listen();
    if (this.options.discoveryInterface && !this.discovery) {
      this.discovery = new DiscoveryResponder(
        this.options.discoveryInterface,
        () => ({
          endpoint: this.endpoint,
          xaddrs: [this.deviceServiceUrl],
          scopes: [
            'onvif://www.onvif.org/type/video_encoder',
            'onvif://www.onvif.org/Profile/Streaming',
            `onvif://www.onvif.org/hardware/${encodeURIComponent(this.identity.model)}`,
            'onvif://www.onvif.org/name/Branchwatch_SimCam',
          ],
        }),
        this.options.discoveryPort ?? WSD_PORT,
      );
      await this.discovery.start();
    }
    return this;
  }

  async stop(): Promise<void> {
    await this.discovery?.stop();
    this.discovery = null;
    await this.goOffline();
  }

  /** The device's credentials change (someone changed the password on the camera). */
  setPassword(password: string): void {
    this.credentials = { ...this.credentials, password };
  }

  /** Stops listening, as a camera that lost power: connections are refused from now on. */
  async goOffline(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  async goOnline(): Promise<void> {
    await this.listen();
  }

  get discoveryAnswers(): number {
    return this.discovery?.answered ?? 0;
  }

  private listen(): Promise<void> {
    if (this.server) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const server = createServer((req, res) => {
        this.handle(req, res).catch(() => res.destroy());
      });
      server.once('error', reject);
      server.listen(this.boundPort, this.host, () => {
        server.off('error', reject);
        this.boundPort = (server.address() as AddressInfo).port;
        this.server = server;
        resolve();
      });
    });
  }

  private deviceNow(): Date {
    return new Date(Date.now() + this.faults.clockOffsetSeconds * 1000);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method === 'GET' && path.startsWith('/snapshot/')) return this.snapshot(req, res);
    if (req.method !== 'POST' || !SOAP_PATHS.has(path)) {
      res.writeHead(404).end();
      return;
    }
    const text = await readBody(req);
    if (this.faults.delayMs > 0) await sleep(this.faults.delayMs);
    if (!this.server) return void res.destroy();
    const reply = this.soap(text);
    res.writeHead(reply.status, { 'Content-Type': 'application/soap+xml; charset=utf-8' });
    res.end(reply.xml);
  }

  private soap(text: string): { status: number; xml: string } {
    const fail = (fault: Fault) => ({ status: faultStatus(fault), xml: faultEnvelope(fault) });
    let doc: Record<string, unknown>;
    try {
      doc = this.parser.parse(text) as Record<string, unknown>;
    } catch {
      return fail({ code: 'env:Sender', subcodes: ['ter:WellFormed'], reason: 'not XML' });
    }
    const env = doc.Envelope as Record<string, unknown> | undefined;
    const body = env?.Body as Record<string, unknown> | undefined;
    const action = body ? Object.keys(body).find((k) => !k.startsWith('@')) : undefined;
    if (!env || !body || !action) {
      return fail({ code: 'env:Sender', subcodes: ['ter:WellFormed'], reason: 'no SOAP Body' });
    }
    const token = usernameToken(env.Header);
    this.calls.push({ action, authenticated: token !== null });
    if (!PRE_AUTH.has(action)) {
      // ONVIF Core §5.9.4.4: without a valid token the device answers ter:NotAuthorized.
      if (!token) return fail(notAuthorized('Sender not Authorized'));
      const why = this.verifier.verify(token, this.credentials, this.deviceNow().getTime());
      if (why) return fail(notAuthorized(`Sender not Authorized: ${why}`));
    }
    const result = answer(action, this.identity, {
      base: this.base,
      deviceNow: this.deviceNow(),
      payload: body,
    });
    if ('fault' in result) return fail(result.fault);
    return { status: 200, xml: envelope(result.body) };
  }

  private snapshot(req: IncomingMessage, res: ServerResponse): void {
    const challenge = this.guard.check(req, this.credentials);
    if (challenge) {
      res.writeHead(401, { 'WWW-Authenticate': challenge, 'Content-Length': 0 }).end();
      return;
    }
    if (this.faults.snapshotStatus !== 200) {
      res.writeHead(this.faults.snapshotStatus, { 'Content-Type': 'text/plain' });
      res.end('snapshot unavailable');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': JPEG.length });
    res.end(JPEG);
  }
}

function usernameToken(header: unknown): UsernameToken | null {
  const security = (header as Record<string, unknown> | undefined)?.Security as
    Record<string, unknown> | undefined;
  const token = security?.UsernameToken as Record<string, unknown> | undefined;
  if (!token) return null;
  const password = token.Password;
  return {
    username: textOf(token.Username) ?? '',
    password: textOf(password) ?? '',
    passwordType: attrOf(password, '@Type'),
    nonce: textOf(token.Nonce),
    created: textOf(token.Created),
  };
}

/** fast-xml-parser gives an element with attributes as an object whose text is `#text`. */
function textOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (node && typeof node === 'object' && '#text' in node) return String(node['#text']);
  return undefined;
}

function attrOf(node: unknown, name: string): string | undefined {
  if (node && typeof node === 'object' && name in node) {
    return String((node as Record<string, unknown>)[name]);
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
