// Differential test against Node's own llhttp (process.binding('http_parser'),
// llhttp 9.3.1 in Node 20): a fixed-seed run of the fuzzer in fuzz/ — valid
// messages and byte-level mutations of them, each fed whole and in random
// splits to both parsers; any disagreement in accept/reject, error code,
// reason, offset or any parsed field fails. Where llhttp 9.3.1 and current
// llhttp differ we follow current llhttp; the fuzzer turns on our
// `llhttp931` switch for those few rules (listed in fuzz/differential.ts and
// pinned in llhttp-current.test.ts). Longer runs:
// `npm run fuzz -w @strata-http/parser -- --count 1000000`.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fuzz } from '../fuzz/differential.ts';

test('2,500 generated and mutated cases agree with llhttp, whole and split', () => {
  const stats = fuzz(20261128, 2500);
  assert.is(stats.cases, 2500);
  assert.ok(stats.messages >= 2500);
  assert.equal(
    stats.disagreements.map(
      (d) => `${d.diff}\n${Buffer.from(d.input, 'base64').toString('latin1')}`,
    ),
    [],
  );
});

test.run();
