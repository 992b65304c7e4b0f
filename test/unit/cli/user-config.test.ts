import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { contextReadonlyReason, userConfigPath } from '../../../source/cli/user-config.js';

const dir = mkdtempSync(join(tmpdir(), 'driftdeck-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('per-context read-only setting', () => {
  it('marks only the contexts that say readonly: true, and says where', () => {
    const path = file(
      'config.yaml',
      'contexts:\n  prod:\n    readonly: true\n  staging:\n    readonly: false\n  dev:\n',
    );
    assert.equal(contextReadonlyReason('prod', path), `context prod is read-only in ${path}`);
    const cases = ['staging', 'dev', 'other'];
    for (const c of cases) assert.equal(contextReadonlyReason(c, path), undefined, c);
  });

  it('treats a missing or broken file as marking nothing', () => {
    assert.equal(contextReadonlyReason('prod', join(dir, 'absent.yaml')), undefined);
    assert.equal(contextReadonlyReason('prod', file('broken.yaml', 'contexts: [\n')), undefined);
    assert.equal(contextReadonlyReason('prod', file('string.yaml', '"just text"\n')), undefined);
  });

  it('lives under XDG_CONFIG_HOME when set', () => {
    assert.equal(userConfigPath({ XDG_CONFIG_HOME: '/x' }), '/x/driftdeck/config.yaml');
  });
});
