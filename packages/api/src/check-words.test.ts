import { describe, expect, it } from 'vitest';
import { checkPurpose, checkPurposeWords } from './check-words.js';

describe('what a check watches, in words', () => {
  it('takes the WAN role first, then words of the name, then the port, then the type', () => {
    expect(checkPurpose({ type: 'tcp', target: '10.0.0.1:5060', key: 'x', wan: true })).toBe('wan');
    // A WAN ping nobody marked as such reads as the internet link by its name.
    expect(checkPurpose({ type: 'icmp', target: '203.0.113.1', key: 'wan' })).toBe('wan');
    expect(checkPurpose({ type: 'icmp', target: '203.0.113.1', key: 'isp-2' })).toBe('wan');
    expect(checkPurpose({ type: 'tcp', target: '10.0.0.9:9', key: 'pbx-sip' })).toBe('telephones');
    expect(checkPurpose({ type: 'icmp', target: '10.0.0.7', key: 'cam2' })).toBe('cameras');
    // A name part, not any substring: "swan" is no WAN link, "webcam" no website.
    expect(checkPurpose({ type: 'icmp', target: '10.0.0.1', key: 'swan' })).toBe('network');
    expect(checkPurpose({ type: 'tcp', target: '10.0.0.1:3389', key: 'accounting' })).toBe(
      'remoteAccess',
    );
    expect(checkPurpose({ type: 'tcp', target: '[2001:db8::1]:443', key: 'erp' })).toBe('website');
    expect(checkPurpose({ type: 'tcp', target: '10.0.0.1:9', key: 'erp' })).toBe('service');
    expect(checkPurpose({ type: 'onvif', target: 'http://10.0.0.5/onvif' })).toBe('cameras');
    expect(checkPurpose({ type: 'future-probe', target: 'x' })).toBe('service');
  });

  it('says it in the three languages', () => {
    const wan = { type: 'icmp', target: '203.0.113.1', key: 'wan' };
    expect(checkPurposeWords(wan, 'en')).toBe('Internet link');
    expect(checkPurposeWords(wan, 'fa')).toBe('لینک اینترنت');
    expect(checkPurposeWords(wan, 'fr')).toBe('Lien internet');
    const erp = { type: 'tcp', target: '10.0.0.1:9', key: 'erp' };
    expect(checkPurposeWords(erp, 'en')).toBe('Business application');
    expect(checkPurposeWords(erp, 'fr')).toBe('Application métier');
  });
});
