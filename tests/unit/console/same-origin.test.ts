import { describe, expect, it } from 'vitest';
import { isCrossSite } from '../../../src/http/same-origin';

describe('the same-site rule', () => {
  it('believes the browser’s Sec-Fetch-Site first, even when a proxy rewrote the Host header', () => {
    expect(isCrossSite({ secFetchSite: 'same-origin', origin: 'https://gridline.example', host: '127.0.0.1:3000' })).toBe(false);
    expect(isCrossSite({ secFetchSite: 'none', host: 'localhost' })).toBe(false);
    for (const site of ['cross-site', 'same-site', 'anything']) expect(isCrossSite({ secFetchSite: site, host: 'localhost' }), site).toBe(true);
  });

  it('without Sec-Fetch-Site, compares Origin with the Host (default ports alike) or PUBLIC_URL', () => {
    expect(isCrossSite({ origin: 'http://localhost', host: 'localhost:80' })).toBe(false);
    expect(isCrossSite({ origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' })).toBe(false);
    expect(isCrossSite({ origin: 'https://evil.example', host: '127.0.0.1:3000' })).toBe(true);
    expect(isCrossSite({ origin: 'null', host: 'localhost' })).toBe(true);
    expect(isCrossSite({ origin: 'not a url', host: 'localhost' })).toBe(true);
    expect(isCrossSite({ origin: 'https://gridline.example', host: '127.0.0.1:3000', publicOrigin: 'https://gridline.example' })).toBe(false);
  });

  it('lets a client that sends neither header through (the CSRF token or JSON-only still applies)', () => {
    expect(isCrossSite({ host: 'localhost' })).toBe(false);
  });
});
