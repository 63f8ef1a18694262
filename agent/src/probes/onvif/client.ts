import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import onvif from 'onvif';
import { classifyCallError, OnvifCallError } from './errors.js';
import { elementText } from './xml.js';

/**
 * The few calls of the `onvif` package the probe uses, typed. The package's own declarations
 * type every answer as `any`; this wrapper is the one place that trusts its shapes, and every
 * value it hands on is checked (strings are strings, lists are lists).
 */

type Callback<T> = (err: Error | null, data?: T | null, xml?: string) => void;

/** The package's Cam, reduced to what this file calls. */
interface RawCam {
  getSystemDateAndTime(callback: Callback<Date>): void;
  getDeviceInformation(callback: Callback<Record<string, unknown>>): void;
  getCapabilities(callback: Callback<Record<string, unknown>>): void;
  getProfiles(callback: Callback<unknown[]>): void;
  getStreamUri(options: StreamUriOptions, callback: Callback<{ uri?: unknown }>): void;
  getSnapshotUri(options: { profileToken: string }, callback: Callback<{ uri?: unknown }>): void;
}

interface StreamUriOptions {
  protocol: 'RTSP';
  stream: 'RTP-Unicast';
  profileToken: string;
}

interface RawCamOptions {
  hostname: string;
  port: number;
  path: string;
  username?: string;
  password?: string;
  timeout: number;
  useSecure: boolean;
  autoconnect: false;
  /** Use the target's host and port for every service, whatever XAddr the device reports. */
  preserveAddress: true;
  agent: HttpAgent | HttpsAgent;
}

const Cam = onvif.Cam as unknown as new (options: RawCamOptions) => RawCam;

export interface SessionOptions {
  hostname: string;
  port: number;
  path: string;
  secure: boolean;
  username?: string | undefined;
  password?: string | undefined;
  /** Per HTTP request: connect and reply (the package's `timeout`). */
  timeoutMs: number;
}

export interface DeviceInformation {
  manufacturer: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
}

export interface MediaProfile {
  token: string;
  name: string;
}

/** One round's conversation with one device. `close` ends whatever is still in flight. */
export class OnvifSession {
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly cam: RawCam;
  private readonly aborted: Promise<never>;
  private readonly onAbort: () => void;

  constructor(
    options: SessionOptions,
    private readonly signal: AbortSignal,
  ) {
    this.agent = options.secure ? new HttpsAgent() : new HttpAgent();
    this.cam = new Cam({
      hostname: options.hostname,
      port: options.port,
      path: options.path,
      timeout: options.timeoutMs,
      useSecure: options.secure,
      autoconnect: false,
      preserveAddress: true,
      agent: this.agent,
      // Without a username the package sends no WS-Security header at all.
      ...(options.username ? { username: options.username, password: options.password ?? '' } : {}),
    });
    let reject: (err: Error) => void = () => {};
    this.aborted = new Promise<never>((_, r) => (reject = r));
    this.aborted.catch(() => {});
    this.onAbort = () => {
      reject(new OnvifCallError('network', 'aborted'));
      this.agent.destroy();
    };
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  close(): void {
    this.signal.removeEventListener('abort', this.onAbort);
    this.agent.destroy();
  }

  /**
   * ONVIF Core §5.9.4.3: GetSystemDateAndTime is pre-authentication, so it also tells whether
   * the device answers at all. The package retries it with a token if the device insists.
   */
  systemDateAndTime(): Promise<Date> {
    return this.call('GetSystemDateAndTime', (cb) => this.cam.getSystemDateAndTime(cb)).then(
      ({ data: date }) => {
        if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
          throw new OnvifCallError('invalid', 'GetSystemDateAndTime: no date in the answer');
        }
        return date;
      },
    );
  }

  /**
   * Read from the raw answer: the package turns number-like text into numbers, which would
   * make firmware "5.50" into 5.5 and drop a serial number's leading zeros.
   */
  async deviceInformation(): Promise<DeviceInformation> {
    const { xml } = await this.call('GetDeviceInformation', (cb) =>
      this.cam.getDeviceInformation(cb),
    );
    return {
      manufacturer: stringOrNull(elementText(xml, 'Manufacturer')),
      model: stringOrNull(elementText(xml, 'Model')),
      firmware: stringOrNull(elementText(xml, 'FirmwareVersion')),
      serial: stringOrNull(elementText(xml, 'SerialNumber')),
    };
  }

  /** GetCapabilities fills in the media service's address, which the media calls need. */
  async capabilities(): Promise<void> {
    const { data: caps } = await this.call<Record<string, unknown>>('GetCapabilities', (cb) =>
      this.cam.getCapabilities(cb),
    );
    const media = (caps?.media ?? caps?.Media) as { XAddr?: unknown } | undefined;
    if (typeof media?.XAddr !== 'string') {
      throw new OnvifCallError('invalid', 'GetCapabilities: the device reports no media service');
    }
  }

  async profiles(): Promise<MediaProfile[]> {
    const { data: raw } = await this.call('GetProfiles', (cb) => this.cam.getProfiles(cb));
    if (!Array.isArray(raw)) throw new OnvifCallError('invalid', 'GetProfiles: no profile list');
    return raw.flatMap((p) => {
      const profile = p as { $?: { token?: unknown }; name?: unknown };
      const token = profile.$?.token;
      return typeof token === 'string'
        ? [{ token, name: stringOrNull(profile.name) ?? token }]
        : [];
    });
  }

  async streamUri(profileToken: string): Promise<string | null> {
    const options: StreamUriOptions = { protocol: 'RTSP', stream: 'RTP-Unicast', profileToken };
    const { data: media } = await this.call<{ uri?: unknown }>('GetStreamUri', (cb) =>
      this.cam.getStreamUri(options, cb),
    );
    return stringOrNull(media?.uri);
  }

  async snapshotUri(profileToken: string): Promise<string | null> {
    const { data: media } = await this.call<{ uri?: unknown }>('GetSnapshotUri', (cb) =>
      this.cam.getSnapshotUri({ profileToken }, cb),
    );
    return stringOrNull(media?.uri);
  }

  /** One call as a promise; its failure classified from the error and the raw answer. */
  private call<T>(action: string, start: (cb: Callback<T>) => void): Promise<Answer<T>> {
    if (this.signal.aborted) return Promise.reject(new OnvifCallError('network', 'aborted'));
    const answered = new Promise<Answer<T>>((resolve, reject) => {
      try {
        start((err, data, xml) => {
          // The package sometimes reports a fault as a TypeError of its own (its retry of
          // GetSystemDateAndTime reads the answer before checking for one): the XML decides.
          const failure = classifyCallError(action, err, xml);
          if (failure) reject(failure);
          else resolve({ data, xml: xml ?? '' });
        });
      } catch (err) {
        reject(classifyCallError(action, err as Error, undefined));
      }
    });
    return Promise.race([answered, this.aborted]);
  }
}

interface Answer<T> {
  data: T | null | undefined;
  xml: string;
}

function stringOrNull(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 2048) : null;
}
