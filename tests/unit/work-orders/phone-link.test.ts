import { describe, expect, it } from 'vitest';
import { dialablePhone } from '../../../src/shared/text/phone';
import { phoneLink } from '../../../src/modules/work-orders/console/orders.views';

describe('phone numbers on the order page', () => {
  it('dials the digits (a leading + kept) whatever way the number was written', () => {
    expect(dialablePhone('(010) 6123-4567')).toBe('01061234567');
    expect(dialablePhone('+86 137 1234 5678')).toBe('+8613712345678');
    expect(dialablePhone('１３７１２３４５６７８')).toBe('13712345678');
    expect(dialablePhone('无')).toBeNull();
    expect(dialablePhone('')).toBeNull();
  });

  it('links a number with tel: and shows it as written, escaped', () => {
    expect(String(phoneLink('137-1234-5678'))).toBe('<a href="tel:13712345678" class="tel">137-1234-5678</a>');
    expect(String(phoneLink('<b>13712345678</b>"'))).toBe(
      '<a href="tel:13712345678" class="tel">&lt;b&gt;13712345678&lt;/b&gt;&quot;</a>',
    );
    expect(String(phoneLink('<script>x</script>'))).toBe('&lt;script&gt;x&lt;/script&gt;');
  });
});
