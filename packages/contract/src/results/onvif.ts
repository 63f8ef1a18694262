import { z } from 'zod';
import { count, ms, resultBase } from './common.js';

/**
 * Why an ONVIF round failed, for machines; `reason` says the same for people. `unreachable` is
 * only reported once the camera has been silent for longer than the check's grace period.
 */
export const ONVIF_FAILURES = [
  'unreachable',
  'auth_failed',
  'soap_fault',
  'snapshot_failed',
  'clock_drift',
] as const;

/** One round against one ONVIF device (a camera), or one WS-Discovery sweep. */
export const onvifFields = z.strictObject({
  /** Round trip of one authenticated SOAP call (GetDeviceInformation), ms. */
  responseMs: ms,
  /** Device clock minus the agent's clock, s (ONVIF DateTime has whole seconds: ±1 s). */
  driftSeconds: z.number().finite().nullable(),
  /** Media profiles the device offers (GetProfiles). */
  profiles: count.nullable(),
  /** Size of the JPEG fetched from the snapshot URI, bytes. */
  snapshotBytes: count.nullable(),
  /** Time to fetch the snapshot, authentication round trips included, ms. */
  snapshotMs: ms,
  /**
   * Seconds the device has not been answering, while that is still inside the grace period
   * (status stays `ok`); null when it answered this round.
   */
  unreachableSeconds: z.number().finite().nonnegative().nullable(),
  /** Devices that answered a WS-Discovery Probe (discover mode only). */
  discovered: count.nullable(),
});

const text = z.string().max(255);

/** What the device says about itself; strings it sends are bounded, never trusted. */
export const onvifDevice = z.strictObject({
  manufacturer: text.nullable(),
  model: text.nullable(),
  firmware: text.nullable(),
  serial: text.nullable(),
  /** Names of the media profiles, in the device's order. */
  profileNames: z.array(text).max(64),
  /** Token of the profile whose URIs are reported. */
  profileToken: text.nullable(),
  streamUri: z.string().max(2048).nullable(),
  snapshotUri: z.string().max(2048).nullable(),
});

/** One answer to a WS-Discovery Probe (WS-Discovery 2005/04 §5.3 ProbeMatch). */
export const onvifDiscoveredDevice = z.strictObject({
  /** wsa:EndpointReference/Address: the device's stable id, usually urn:uuid:…. */
  endpoint: z.string().max(255),
  xaddrs: z.array(z.string().max(2048)).max(16),
  scopes: z.array(z.string().max(512)).max(64),
  /** Where the answer came from. */
  from: z.string().max(64),
});

export const onvifResult = z.strictObject({
  ...resultBase,
  type: z.literal('onvif'),
  fields: onvifFields,
  failure: z.enum(ONVIF_FAILURES).optional(),
  /** The SOAP fault's most specific code, e.g. `ter:NotAuthorized`, for `soap_fault`/`auth_failed`. */
  faultCode: z.string().max(200).optional(),
  device: onvifDevice.optional(),
  devices: z.array(onvifDiscoveredDevice).max(256).optional(),
});

export type OnvifFailure = (typeof ONVIF_FAILURES)[number];
export type OnvifFields = z.infer<typeof onvifFields>;
export type OnvifDevice = z.infer<typeof onvifDevice>;
export type OnvifDiscoveredDevice = z.infer<typeof onvifDiscoveredDevice>;
export type OnvifResult = z.infer<typeof onvifResult>;
