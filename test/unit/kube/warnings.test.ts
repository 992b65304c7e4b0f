// Reading the API server's Warning headers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWarnings } from '../../../source/kube/http.js';

test('Warning headers: the quoted texts, several per header or several headers, escapes undone', () => {
  assert.deepEqual(parseWarnings(undefined), []);
  assert.deepEqual(parseWarnings('299 - "policy/v1beta1 PodSecurityPolicy is deprecated"'), [
    'policy/v1beta1 PodSecurityPolicy is deprecated',
  ]);
  assert.deepEqual(parseWarnings('299 - "unknown field \\"spec.colr\\"", 299 - "second, with a comma"'), [
    'unknown field "spec.colr"',
    'second, with a comma',
  ]);
  assert.deepEqual(parseWarnings(['299 - "one"', '299 - "two"']), ['one', 'two']);
  assert.deepEqual(parseWarnings('not the usual form'), ['not the usual form']);
});
