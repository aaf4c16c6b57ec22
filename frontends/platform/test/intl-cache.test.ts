// format/intl-cache.ts: one formatter per locale and options, and a bad currency not cached.
import t from 'tap';
import { dateTimeFormat, numberFormat } from '../src/format/intl-cache.ts';

t.test('the same locale and options give the same formatter', async (t) => {
  const options = { dateStyle: 'medium', timeStyle: 'short' } as const;
  t.equal(dateTimeFormat('en-GB', options), dateTimeFormat('en-GB', { ...options }), 'equal options, one instance');
  t.not(dateTimeFormat('en-GB', options), dateTimeFormat('de-DE', options), 'another locale, another formatter');
  t.not(numberFormat('en-GB', { style: 'currency', currency: 'EUR' }), numberFormat('en-GB', { style: 'currency', currency: 'USD' }));
  t.match(numberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(1234.5), /^1\.234,50\s€$/, 'formats in its locale');
});

t.test('an unknown currency throws every time (nothing cached)', async (t) => {
  t.throws(() => numberFormat('en-GB', { style: 'currency', currency: 'NOT-A-CODE' }));
  t.throws(() => numberFormat('en-GB', { style: 'currency', currency: 'NOT-A-CODE' }));
});
