// Prometheus text exposition read back for tests: `name{labels} value` by `name{labels}`; comment lines skipped,
// and a line whose value is not a number fails the test that reads it.
import assert from 'node:assert/strict';

export function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    const value = Number(line.slice(at + 1));
    assert.ok(!Number.isNaN(value), `a sample line: ${line}`);
    out.set(line.slice(0, at), value);
  }
  return out;
}
