import { describe, expect, it } from 'vitest';
import { DiscoveryResponder } from '../../../../test/onvif-simulator/index.js';
import { createOnvifProbe } from './index.js';
import { onvifOptions } from './options.js';
import { parseProbeMatches, probeMessage } from './discovery.js';
import { parseTarget } from './target.js';

/** Message-level checks; the multicast exchange itself runs between namespaces in cli.test.ts. */

const camera = new DiscoveryResponder('127.0.0.1', () => ({
  endpoint: 'urn:uuid:cam-1',
  xaddrs: ['http://192.0.2.20/onvif/device_service', 'http://[2001:db8::20]/onvif/device_service'],
  scopes: ['onvif://www.onvif.org/name/Lobby', 'onvif://www.onvif.org/location/hq'],
}));

describe('WS-Discovery messages', () => {
  it('gets a ProbeMatch from a camera for our Probe, and reads it back', () => {
    const id = 'urn:uuid:0f7c2c1e-0000-4000-8000-000000000001';
    const reply = camera.reply(probeMessage(id));
    expect(reply).not.toBeNull();
    expect(parseProbeMatches(reply!, id, '192.0.2.20')).toEqual([
      {
        endpoint: 'urn:uuid:cam-1',
        xaddrs: [
          'http://192.0.2.20/onvif/device_service',
          'http://[2001:db8::20]/onvif/device_service',
        ],
        scopes: ['onvif://www.onvif.org/name/Lobby', 'onvif://www.onvif.org/location/hq'],
        from: '192.0.2.20',
      },
    ]);
  });

  it('ignores matches to someone else’s Probe, and probes for other device types', () => {
    const reply = camera.reply(probeMessage('urn:uuid:theirs'))!;
    expect(parseProbeMatches(reply, 'urn:uuid:mine', '192.0.2.20')).toBeNull();
    const printer = probeMessage('urn:uuid:x').replace(
      'dn:NetworkVideoTransmitter',
      'wprt:PrintDeviceType',
    );
    expect(camera.reply(printer)).toBeNull();
  });

  it('reads two matches in one answer, whatever the prefixes', () => {
    const xml =
      '<s:Envelope xmlns:s="x" xmlns:a="y" xmlns:wsdd="z"><s:Header><a:RelatesTo>urn:1</a:RelatesTo></s:Header>' +
      '<s:Body><wsdd:ProbeMatches>' +
      '<wsdd:ProbeMatch><a:EndpointReference><a:Address>urn:a</a:Address></a:EndpointReference>' +
      '<wsdd:XAddrs>http://192.0.2.1/onvif/device_service</wsdd:XAddrs></wsdd:ProbeMatch>' +
      '<wsdd:ProbeMatch><a:EndpointReference><a:Address>urn:b</a:Address></a:EndpointReference>' +
      '<wsdd:Scopes>onvif://www.onvif.org/name/A&amp;B</wsdd:Scopes></wsdd:ProbeMatch>' +
      '</wsdd:ProbeMatches></s:Body></s:Envelope>';
    expect(parseProbeMatches(xml, 'urn:1', '192.0.2.1')).toEqual([
      {
        endpoint: 'urn:a',
        xaddrs: ['http://192.0.2.1/onvif/device_service'],
        scopes: [],
        from: '192.0.2.1',
      },
      {
        endpoint: 'urn:b',
        xaddrs: [],
        scopes: ['onvif://www.onvif.org/name/A&B'],
        from: '192.0.2.1',
      },
    ]);
  });

  it('refuses a discover target that is not an IPv4 interface address', async () => {
    const outcome = await createOnvifProbe().run(
      { id: 'd', target: 'cam.example:80', options: onvifOptions.parse({ mode: 'discover' }) },
      new AbortController().signal,
    );
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: 'discover mode needs the IPv4 address of an agent interface (or 0.0.0.0)',
    });
  });
});

describe('onvif targets and options', () => {
  it('takes a device service URL, a host, or host:port', () => {
    expect(parseTarget('http://192.0.2.20:8080/onvif/device_service')).toEqual({
      hostname: '192.0.2.20',
      port: 8080,
      path: '/onvif/device_service',
      secure: false,
    });
    expect(parseTarget('cam-1')).toEqual({
      hostname: 'cam-1',
      port: 80,
      path: '/onvif/device_service',
      secure: false,
    });
    expect(parseTarget('https://[2001:db8::20]/')).toMatchObject({
      hostname: '2001:db8::20',
      port: 443,
      secure: true,
    });
  });

  it('says what is wrong with a bad target or option', () => {
    const probe = createOnvifProbe();
    expect(probe.validateTarget('rtsp://192.0.2.20/')).toBe('expected an http:// or https:// URL');
    expect(probe.validateTarget('http://admin:pw@192.0.2.20/')).toBe(
      'put credentials in options, not in the URL',
    );
    expect(probe.validateTarget('2001:db8::20')).toBe(
      'expected host, host:port or an http(s):// URL, with IPv6 addresses in brackets',
    );
    const noUser = onvifOptions.safeParse({ password: 'x' });
    expect(noUser.error?.issues[0]?.message).toBe('a password needs a username');
    expect(onvifOptions.parse({})).toMatchObject({
      mode: 'device',
      graceSeconds: 60,
      driftThresholdSeconds: 5,
      requestTimeoutMs: 3000,
    });
  });
});
