// Deliberately wrong: types.test.ts checks that tsc rejects it through the package's exports.
import { createServer } from '@strata-http/http';

createServer((_req, res) => {
  res.writeHead('200');
});
