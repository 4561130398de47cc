import fc from 'fast-check';
import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { CHAT_LOCATION_DATUM, fromWgs84, storedPoint, toWgs84 } from '../../../src/modules/grids/places.models';

describe('storedPoint: every intake stores WGS-84', () => {
  it('converts a WeChat (GCJ-02) point in Hangzhou by gcoord: about 470 m west and 250 m north', () => {
    expect(CHAT_LOCATION_DATUM).toBe('gcj02');
    const p = storedPoint({ lat: 30.274102, lng: 120.155031, datum: CHAT_LOCATION_DATUM })!;
    expect(p).toEqual({ lat: 30.2764223, lng: 120.1503228 });
    const [lng, lat] = gcoord.transform([120.155031, 30.274102], gcoord.GCJ02, gcoord.WGS84) as [number, number];
    expect(p.lng).toBeCloseTo(lng, 7);
    expect(p.lat).toBeCloseTo(lat, 7);
  });

  it('keeps a WGS-84 point (Open311, a browser\'s geolocation), rounded to 1e-7° (a centimetre)', () => {
    expect(storedPoint({ lat: 30.123456789, lng: 120.987654321, datum: 'wgs84' })).toEqual({ lat: 30.1234568, lng: 120.9876543 });
  });

  it('leaves a point outside China as it is, whatever datum is claimed (GCJ-02 only shifts inside China)', () => {
    expect(storedPoint({ lat: 48.8566, lng: 2.3522, datum: 'gcj02' })).toEqual({ lat: 48.8566, lng: 2.3522 });
  });

  it('is no point for a missing, non-finite or out-of-range value', () => {
    expect(storedPoint(null)).toBeNull();
    expect(storedPoint(undefined)).toBeNull();
    for (const [lat, lng] of [[NaN, 120], [30, Infinity], [91, 120], [30, -181]]) expect(storedPoint({ lat: lat!, lng: lng!, datum: 'gcj02' })).toBeNull();
  });

  it('round trip: shifting a stored point onto GCJ-02 tiles and back lands within 1e-6° (≈ 10 cm) across China', () => {
    fc.assert(
      fc.property(fc.double({ min: 73, max: 135, noNaN: true }), fc.double({ min: 18, max: 53, noNaN: true }), (lng, lat) => {
        const [gx, gy] = fromWgs84({ lat, lng, datum: 'gcj02' });
        const [x, y] = toWgs84({ lat: gy, lng: gx, datum: 'gcj02' });
        expect(Math.abs(x - lng)).toBeLessThan(1e-6);
        expect(Math.abs(y - lat)).toBeLessThan(1e-6);
      }),
    );
  });
});
