/**
 * SOAP 1.2 envelopes the simulator answers with. Built as strings: the responses are fixed
 * shapes, and every value placed in them goes through `escapeXml`.
 */

export const NS = {
  env: 'http://www.w3.org/2003/05/soap-envelope',
  ter: 'http://www.onvif.org/ver10/error',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tt: 'http://www.onvif.org/ver10/schema',
  wsa: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  wsd: 'http://schemas.xmlsoap.org/ws/2005/04/discovery',
  dn: 'http://www.onvif.org/ver10/network/wsdl',
} as const;

export function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function envelope(body: string, header = ''): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<env:Envelope xmlns:env="${NS.env}" xmlns:ter="${NS.ter}" xmlns:tds="${NS.tds}" ` +
    `xmlns:trt="${NS.trt}" xmlns:tt="${NS.tt}">` +
    (header ? `<env:Header>${header}</env:Header>` : '') +
    `<env:Body>${body}</env:Body></env:Envelope>`
  );
}

export interface Fault {
  /** SOAP 1.2 Part 1 §5.4.6: env:Sender (the request is wrong) or env:Receiver (the device). */
  code: 'env:Sender' | 'env:Receiver';
  /** ONVIF Core §5.11.2 subcodes, e.g. ter:NotAuthorized, ter:ActionNotSupported. */
  subcodes: string[];
  reason: string;
}

/** SOAP 1.2 Part 2 §7.5.2.2: a Sender fault travels with HTTP 400, a Receiver fault with 500. */
export const faultStatus = (fault: Fault): number => (fault.code === 'env:Sender' ? 400 : 500);

export function faultEnvelope(fault: Fault): string {
  const subcodes = fault.subcodes.reduceRight(
    (inner, code) => `<env:Subcode><env:Value>${code}</env:Value>${inner}</env:Subcode>`,
    '',
  );
  return envelope(
    '<env:Fault>' +
      `<env:Code><env:Value>${fault.code}</env:Value>${subcodes}</env:Code>` +
      `<env:Reason><env:Text xml:lang="en">${escapeXml(fault.reason)}</env:Text></env:Reason>` +
      '</env:Fault>',
  );
}

/** ONVIF Core §5.9.4.4 / §5.11.2.2: what a device answers to a bad or missing UsernameToken. */
export const notAuthorized = (reason: string): Fault => ({
  code: 'env:Sender',
  subcodes: ['ter:NotAuthorized'],
  reason,
});

export const actionNotSupported = (action: string): Fault => ({
  code: 'env:Receiver',
  subcodes: ['ter:ActionNotSupported'],
  reason: `${action} is not supported by this device`,
});

/** tt:DateTime: ONVIF carries whole seconds (ONVIF schema, DateTime = Time + Date). */
export function dateTimeXml(tag: string, at: Date): string {
  return (
    `<tt:${tag}>` +
    `<tt:Time><tt:Hour>${at.getUTCHours()}</tt:Hour><tt:Minute>${at.getUTCMinutes()}</tt:Minute>` +
    `<tt:Second>${at.getUTCSeconds()}</tt:Second></tt:Time>` +
    `<tt:Date><tt:Year>${at.getUTCFullYear()}</tt:Year><tt:Month>${at.getUTCMonth() + 1}</tt:Month>` +
    `<tt:Day>${at.getUTCDate()}</tt:Day></tt:Date>` +
    `</tt:${tag}>`
  );
}
