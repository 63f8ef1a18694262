import { randomUUID } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { escapeXml, NS } from './soap.js';

/** WS-Discovery 2005/04 §2.4: the IPv4 multicast group and port every target listens on. */
export const WSD_GROUP = '239.255.255.250';
export const WSD_PORT = 3702;

export interface DiscoveryAnswer {
  endpoint: string;
  xaddrs: string[];
  scopes: string[];
}

/**
 * Answers WS-Discovery Probes like an ONVIF NetworkVideoTransmitter (ONVIF Core §7.3): joins the
 * group on one interface address and sends a unicast ProbeMatch back to whoever asked.
 */
export class DiscoveryResponder {
  private socket: Socket | null = null;
  /** Probes answered, for tests. */
  answered = 0;

  constructor(
    private readonly interfaceAddress: string,
    private readonly describe: () => DiscoveryAnswer,
    private readonly port = WSD_PORT,
  ) {}

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = createSocket({ type: 'udp4', reuseAddr: true });
      socket.once('error', reject);
      socket.on('message', (message, from) => {
        const reply = this.reply(message.toString('utf8'));
        if (!reply) return;
        this.answered += 1;
        socket.send(reply, from.port, from.address);
      });
      socket.bind(this.port, () => {
        socket.addMembership(WSD_GROUP, this.interfaceAddress);
        socket.off('error', reject);
        socket.on('error', () => {});
        this.socket = socket;
        resolve();
      });
    });
  }

  stop(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    return new Promise((resolve) => (socket ? socket.close(() => resolve()) : resolve()));
  }

  /** A ProbeMatches envelope, or null for anything that is not a Probe we match. */
  reply(request: string): string | null {
    if (!/<(?:\w+:)?Probe[\s>/]/.test(request)) return null;
    const types = /<(?:\w+:)?Types[^>]*>([^<]*)</.exec(request)?.[1]?.trim() ?? '';
    // WS-Discovery §5.1: no Types matches every target; otherwise the type must be ours.
    if (types !== '' && !/(^|\s|:)NetworkVideoTransmitter(\s|$)/.test(types)) return null;
    const messageId = /<(?:\w+:)?MessageID[^>]*>([^<]*)</.exec(request)?.[1] ?? '';
    const me = this.describe();
    return (
      `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="${NS.env}" ` +
      `xmlns:wsa="${NS.wsa}" xmlns:d="${NS.wsd}" xmlns:dn="${NS.dn}"><env:Header>` +
      `<wsa:MessageID>urn:uuid:${randomUUID()}</wsa:MessageID>` +
      `<wsa:RelatesTo>${escapeXml(messageId)}</wsa:RelatesTo>` +
      '<wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>' +
      `<wsa:Action>${NS.wsd}/ProbeMatches</wsa:Action>` +
      '</env:Header><env:Body><d:ProbeMatches><d:ProbeMatch>' +
      `<wsa:EndpointReference><wsa:Address>${escapeXml(me.endpoint)}</wsa:Address></wsa:EndpointReference>` +
      '<d:Types>dn:NetworkVideoTransmitter</d:Types>' +
      `<d:Scopes>${me.scopes.map(escapeXml).join(' ')}</d:Scopes>` +
      `<d:XAddrs>${me.xaddrs.map(escapeXml).join(' ')}</d:XAddrs>` +
      '<d:MetadataVersion>1</d:MetadataVersion>' +
      '</d:ProbeMatch></d:ProbeMatches></env:Body></env:Envelope>'
    );
  }
}
