import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adHocApp, ConfigError } from '../../../source/config/index.js';

describe('adHocApp', () => {
  it('builds a manual-sync app with the auto renderer from the flags', () => {
    assert.deepEqual(adHocApp({ name: 'backend', path: './apps/backend/', namespace: 'shop' }), {
      name: 'backend',
      path: 'apps/backend',
      namespace: 'shop',
      renderer: { type: 'auto' },
      sync: { auto: false, prune: false, selfHeal: false },
      ignore: [],
    });
  });

  const refused = [
    { flags: { name: 'Backend', path: 'apps/backend', namespace: 'shop' }, fields: ['--app'] },
    { flags: { name: 'backend', path: '/srv/apps', namespace: 'shop' }, fields: ['--path'] },
    { flags: { name: 'backend', path: '../elsewhere', namespace: 'shop' }, fields: ['--path'] },
    { flags: { name: '', path: '', namespace: 'a.b' }, fields: ['--app', '--path', '--namespace'] },
  ];
  for (const c of refused) {
    it(`refuses ${JSON.stringify(c.flags)} naming ${c.fields.join(', ')}`, () => {
      assert.throws(
        () => adHocApp(c.flags),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          assert.deepEqual(
            err.errors.map((e) => e.field),
            c.fields,
          );
          for (const field of c.fields) assert.match(err.message, new RegExp(`^${field}: expected`, 'm'));
          return true;
        },
      );
    });
  }
});
