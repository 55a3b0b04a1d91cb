import { ISO_3166_ALPHA2, parseCountryCode } from '../../src/shared/geography/countries';
import { parseUsZip, postalCodeRule } from '../../src/shared/geography/postal-codes';
import { parseTimeZone } from '../../src/shared/geography/time-zones';

describe('shared address validators', () => {
  it('lists all 249 assigned ISO 3166-1 alpha-2 codes, each once, each known to ICU', () => {
    expect(ISO_3166_ALPHA2).toHaveLength(249);
    expect(new Set(ISO_3166_ALPHA2).size).toBe(249);
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    expect(ISO_3166_ALPHA2.filter((c) => names.of(c) === c)).toEqual([]);
    expect(parseCountryCode(' gb ')).toBe('GB');
    for (const reserved of ['UK', 'EU', 'XK', 'ZZ', 'USA', '']) expect(parseCountryCode(reserved)).toBeNull();
  });

  it('parses US ZIP codes into the parts the delivery matrix needs', () => {
    expect(parseUsZip('02110')).toEqual({ zip5: '02110', plus4: null, zip3: '021', formatted: '02110' });
    expect(parseUsZip(' 60608-1234 ')).toEqual({
      zip5: '60608',
      plus4: '1234',
      zip3: '606',
      formatted: '60608-1234',
    });
    expect(parseUsZip('606081234')?.formatted).toBe('60608-1234');
    for (const bad of ['6060', '606080', '60608-12', 'ABCDE', '60608-', ''])
      expect(parseUsZip(bad)).toBeNull();
  });

  it.each([
    ['CA', 'k1a 0b1', 'K1A 0B1'],
    ['CA', 'W1A 1A1', null],
    ['CA', 'K1A 0O1', null],
    ['GB', 'ec1a1bb', 'EC1A 1BB'],
    ['GB', 'W1A  0AX', 'W1A 0AX'],
    ['GB', 'CR2 6XH', 'CR2 6XH'],
    ['GB', 'DN55 1PT', 'DN55 1PT'],
    ['GB', '1AA 1AA', null],
    ['FR', '75008', '75008'],
    ['NL', '1012 ab', '1012 AB'],
    ['JP', '100-0001', '100-0001'],
    ['JP', '100_0001', null],
  ])('%s postal code %s -> %s', (country, value, expected) => {
    expect(postalCodeRule(country).normalize(value)).toBe(expected);
  });

  it('accepts IANA zones in canonical spelling and refuses offsets and inventions', () => {
    expect(parseTimeZone('america/los_angeles')).toBe('America/Los_Angeles');
    expect(parseTimeZone('UTC')).toBe('UTC');
    expect(parseTimeZone('Pacific/Honolulu')).toBe('Pacific/Honolulu');
    for (const bad of ['+01:00', 'Mars/Base', '', ' ', 'x'.repeat(65)]) expect(parseTimeZone(bad)).toBeNull();
  });
});
