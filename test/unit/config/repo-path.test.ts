import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRepoPath } from '../../../source/config/index.js';

describe('checkRepoPath', () => {
  const accepted: Array<[raw: string, base: string, normalized: string]> = [
    ['apps/backend', '', 'apps/backend'],
    ['./apps//backend/', '', 'apps/backend'],
    ['.', '', '.'],
    ['apps/x/../y', '', 'apps/y'],
    ['../shared/values.yaml', 'charts/app', '../shared/values.yaml'],
    ['../../values.yaml', 'charts/app', '../../values.yaml'],
  ];
  for (const [raw, base, normalized] of accepted) {
    it(`accepts ${JSON.stringify(raw)} under ${JSON.stringify(base || '<root>')}`, () => {
      assert.deepEqual(checkRepoPath(raw, base), { ok: true, path: normalized });
    });
  }

  const refused: Array<[raw: string, base: string, problem: RegExp]> = [
    ['', '', /non-empty/],
    ['/etc', '', /absolute path "\/etc"/],
    ['C:\\repo', '', /absolute/],
    ['apps\\backend', '', /forward slashes/],
    ['..', '', /leaves it/],
    ['apps/../../x', '', /leaves it/],
    ['../../../values.yaml', 'charts/app', /leaves it/],
  ];
  for (const [raw, base, problem] of refused) {
    it(`refuses ${JSON.stringify(raw)} under ${JSON.stringify(base || '<root>')}`, () => {
      const result = checkRepoPath(raw, base);
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.problem, problem);
    });
  }
});
