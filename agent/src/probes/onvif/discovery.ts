import { randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { OnvifDiscoveredDevice } from '@branchwatch/contract';
import { elementText } from './xml.js';

/** WS-Discovery 2005/04 §2.4 (as ONVIF Core §7.3 uses it): the IPv4 group and port. */
export const WSD_GROUP = '239.255.255.250';
export const WSD_PORT = 3702;
const MAX_DEVICES = 256;

export interface DiscoverOptions {
  /** Local IPv4 address to send from and listen on; 0.0.0.0 lets the kernel choose. */
  interfaceAddress: string;
  timeoutMs: number;
  signal: AbortSignal;
  /** Overrides for tests; the standard group and port otherwise. */
  group?: string;
  port?: number;
}

export interface DiscoverOutcome {
  devices: OnvifDiscoveredDevice[];
  /** Answers that were not ProbeMatches to our Probe (counted, not fatal). */
  ignored: number;
}

/** A Probe for dn:NetworkVideoTransmitter (ONVIF Core §7.3.2: the device type of cameras). */
export function probeMessage(messageId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" ' +
    'xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" ' +
    'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" ' +
    'xmlns:dn="http://www.onvif.org/ver10/network/wsdl">' +
    '<e:Header>' +
    `<w:MessageID>${messageId}</w:MessageID>` +
    '<w:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To>' +
    '<w:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action>' +
    '</e:Header>' +
    '<e:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></e:Body>' +
    '</e:Envelope>'
  );
}

/** The ProbeMatch entries of an answer to `messageId`, or null when it is not one. */
export function parseProbeMatches(
  xml: string,
  messageId: string,
  from: string,
): OnvifDiscoveredDevice[] | null {
  if (!/<(?:[\w.-]+:)?ProbeMatches[\s>]/.test(xml)) return null;
  // WS-Discovery §5.3: a ProbeMatches relates to the Probe's MessageID; others are not ours.
  if (elementText(xml, 'RelatesTo') !== messageId) return null;
  const matches = xml.split(/<(?:[\w.-]+:)?ProbeMatch[\s>]/).slice(1);
  return matches.flatMap((match) => {
    const endpoint = elementText(match, 'Address');
    if (!endpoint) return [];
    const words = (name: string) => (elementText(match, name) ?? '').split(/\s+/).filter(Boolean);
    return [
      {
        endpoint: endpoint.slice(0, 255),
        xaddrs: words('XAddrs')
          .slice(0, 16)
          .map((x) => x.slice(0, 2048)),
        scopes: words('Scopes')
          .slice(0, 64)
          .map((s) => s.slice(0, 512)),
        from,
      },
    ];
  });
}

/**
 * Sends one WS-Discovery Probe to the multicast group and collects the unicast ProbeMatches
 * until the timeout. The Probe goes out twice, 100 ms apart, as SOAP-over-UDP repeats multicast
 * messages (MULTICAST_UDP_REPEAT) because UDP may drop one. TTL 1 keeps it on the branch LAN.
 */
export function discoverCameras(options: DiscoverOptions): Promise<DiscoverOutcome> {
  const group = options.group ?? WSD_GROUP;
  const port = options.port ?? WSD_PORT;
  const messageId = `urn:uuid:${randomUUID()}`;
  const message = Buffer.from(probeMessage(messageId));
  const found = new Map<string, OnvifDiscoveredDevice>();
  let ignored = 0;

  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: 'udp4' });
    const timers: NodeJS.Timeout[] = [];
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      options.signal.removeEventListener('abort', onAbort);
      socket.close();
      if (err) reject(err);
      else resolve({ devices: [...found.values()], ignored });
    };
    const onAbort = () => finish();
    options.signal.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (err) => finish(err));
    socket.on('message', (msg, rinfo) => {
      const matches = parseProbeMatches(msg.toString('utf8'), messageId, rinfo.address);
      if (!matches) return void (ignored += 1);
      for (const device of matches) {
        if (found.size < MAX_DEVICES && !found.has(device.endpoint)) {
          found.set(device.endpoint, device);
        }
      }
    });
    const anyAddress = options.interfaceAddress === '0.0.0.0';
    socket.bind(0, anyAddress ? undefined : options.interfaceAddress, () => {
      if (settled) return;
      try {
        socket.setMulticastTTL(1);
        if (!anyAddress) socket.setMulticastInterface(options.interfaceAddress);
      } catch (err) {
        return finish(err as Error);
      }
      const send = () => {
        if (!settled) socket.send(message, port, group, (err) => err && finish(err));
      };
      send();
      timers.push(setTimeout(send, 100));
      timers.push(setTimeout(() => finish(), options.timeoutMs));
    });
    if (options.signal.aborted) finish();
  });
}
