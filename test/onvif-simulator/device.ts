import { actionNotSupported, dateTimeXml, escapeXml, type Fault } from './soap.js';

/** What the simulated camera is: fixed identity, one or more media profiles. */
export interface DeviceIdentity {
  manufacturer: string;
  model: string;
  firmware: string;
  serial: string;
  hardwareId: string;
  profiles: { token: string; name: string }[];
}

export const DEFAULT_IDENTITY: DeviceIdentity = {
  manufacturer: 'Branchwatch',
  model: 'SimCam 1',
  firmware: '1.2.3',
  serial: 'SIM-0001',
  hardwareId: 'sim-hw-1',
  profiles: [
    { token: 'profile_main', name: 'MainStream' },
    { token: 'profile_sub', name: 'SubStream' },
  ],
};

export interface RequestContext {
  /** Base URL the device is reached at, e.g. http://127.0.0.1:8080 (no trailing slash). */
  base: string;
  /** The device's own clock (the simulator can be told to run it off). */
  deviceNow: Date;
  /** The request's Body child, parsed with namespace prefixes removed. */
  payload: Record<string, unknown>;
}

export type Answer = { body: string } | { fault: Fault };

/**
 * ONVIF Core §5.9.4.3 access classes: these may be called before authentication (PRE_AUTH),
 * so a client can learn the device's clock before it computes a PasswordDigest.
 */
export const PRE_AUTH = new Set(['GetSystemDateAndTime']);

/** Device service (ONVIF Core §8) and media service (ONVIF Media 1, Profile S) calls. */
export function answer(action: string, identity: DeviceIdentity, ctx: RequestContext): Answer {
  const handler = HANDLERS[action];
  return handler ? handler(identity, ctx) : { fault: actionNotSupported(action) };
}

type Handler = (identity: DeviceIdentity, ctx: RequestContext) => Answer;

const profileXml = (p: { token: string; name: string }) =>
  `<trt:Profiles token="${escapeXml(p.token)}" fixed="true"><tt:Name>${escapeXml(p.name)}</tt:Name>` +
  '<tt:VideoSourceConfiguration token="vsc_1"><tt:Name>VideoSource</tt:Name>' +
  '<tt:UseCount>2</tt:UseCount><tt:SourceToken>video_src_1</tt:SourceToken>' +
  '<tt:Bounds x="0" y="0" width="1920" height="1080"/></tt:VideoSourceConfiguration>' +
  `<tt:VideoEncoderConfiguration token="vec_${escapeXml(p.token)}"><tt:Name>H264</tt:Name>` +
  '<tt:UseCount>1</tt:UseCount><tt:Encoding>H264</tt:Encoding>' +
  '<tt:Resolution><tt:Width>1920</tt:Width><tt:Height>1080</tt:Height></tt:Resolution>' +
  '<tt:Quality>5</tt:Quality></tt:VideoEncoderConfiguration></trt:Profiles>';

/** The profile a media call names, or a ter:NoProfile fault (ONVIF Media §5.2 errors). */
function profileFor(identity: DeviceIdentity, ctx: RequestContext, action: string) {
  const call = ctx.payload[action] as Record<string, unknown> | undefined;
  const token = typeof call?.ProfileToken === 'string' ? call.ProfileToken : '';
  const profile = identity.profiles.find((p) => p.token === token);
  if (profile) return profile;
  const fault: Fault = {
    code: 'env:Sender',
    subcodes: ['ter:InvalidArgVal', 'ter:NoProfile'],
    reason: `no profile "${token}"`,
  };
  return fault;
}

const HANDLERS: Record<string, Handler> = {
  GetSystemDateAndTime: (_identity, ctx) => ({
    body:
      '<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>' +
      '<tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>' +
      '<tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone>' +
      dateTimeXml('UTCDateTime', ctx.deviceNow) +
      '</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>',
  }),
  GetDeviceInformation: (id) => ({
    body:
      '<tds:GetDeviceInformationResponse>' +
      `<tds:Manufacturer>${escapeXml(id.manufacturer)}</tds:Manufacturer>` +
      `<tds:Model>${escapeXml(id.model)}</tds:Model>` +
      `<tds:FirmwareVersion>${escapeXml(id.firmware)}</tds:FirmwareVersion>` +
      `<tds:SerialNumber>${escapeXml(id.serial)}</tds:SerialNumber>` +
      `<tds:HardwareId>${escapeXml(id.hardwareId)}</tds:HardwareId>` +
      '</tds:GetDeviceInformationResponse>',
  }),
  GetCapabilities: (_identity, ctx) => ({
    body:
      '<tds:GetCapabilitiesResponse><tds:Capabilities>' +
      `<tt:Device><tt:XAddr>${ctx.base}/onvif/device_service</tt:XAddr></tt:Device>` +
      `<tt:Media><tt:XAddr>${ctx.base}/onvif/media_service</tt:XAddr>` +
      '<tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast>' +
      '<tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP>' +
      '</tt:StreamingCapabilities></tt:Media>' +
      '</tds:Capabilities></tds:GetCapabilitiesResponse>',
  }),
  GetServices: (_identity, ctx) => ({
    body:
      '<tds:GetServicesResponse>' +
      `<tds:Service><tds:Namespace>http://www.onvif.org/ver10/device/wsdl</tds:Namespace>` +
      `<tds:XAddr>${ctx.base}/onvif/device_service</tds:XAddr>` +
      '<tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>' +
      `<tds:Service><tds:Namespace>http://www.onvif.org/ver10/media/wsdl</tds:Namespace>` +
      `<tds:XAddr>${ctx.base}/onvif/media_service</tds:XAddr>` +
      '<tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>' +
      '</tds:GetServicesResponse>',
  }),
  GetProfiles: (id) => ({
    body: `<trt:GetProfilesResponse>${id.profiles.map(profileXml).join('')}</trt:GetProfilesResponse>`,
  }),
  GetStreamUri: (id, ctx) => {
    const profile = profileFor(id, ctx, 'GetStreamUri');
    if ('code' in profile) return { fault: profile };
    const host = new URL(ctx.base).hostname;
    const uri = `rtsp://${host}:554/Streaming/${encodeURIComponent(profile.token)}`;
    return { body: mediaUri('GetStreamUriResponse', uri) };
  },
  GetSnapshotUri: (id, ctx) => {
    const profile = profileFor(id, ctx, 'GetSnapshotUri');
    if ('code' in profile) return { fault: profile };
    const uri = `${ctx.base}/snapshot/${encodeURIComponent(profile.token)}.jpg`;
    return { body: mediaUri('GetSnapshotUriResponse', uri) };
  },
};

const mediaUri = (response: string, uri: string) =>
  `<trt:${response}><trt:MediaUri><tt:Uri>${escapeXml(uri)}</tt:Uri>` +
  '<tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>' +
  '<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout>' +
  `</trt:MediaUri></trt:${response}>`;
