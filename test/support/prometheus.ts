// Prometheus text exposition read back for tests: `name{labels} value` by `name{labels}`; comment lines skipped,
// and a line whose value is not a number fails the test that reads it. NaN and infinities are numbers to Prometheus
// (Go's ParseFloat, any case): prom-client writes an event loop lag not yet measured as `Nan`.
import assert from 'node:assert/strict';

export function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    const text = line.slice(at + 1);
    const value = /^nan$/i.test(text) ? Number.NaN : Number(text.replace(/^([+-]?)inf$/i, '$1Infinity'));
    assert.ok(!Number.isNaN(value) || /^nan$/i.test(text), `a sample line: ${line}`);
    out.set(line.slice(0, at), value);
  }
  return out;
}
