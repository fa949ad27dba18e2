// Code typed against node:http compiles with @strata-http/http swapped in (its built .d.ts),
// and values flow between the two sets of types in both directions. The TypeScript API runs
// in-process; the second program reuses the first one's parsed lib and @types/node files.
import path from 'node:path';
import ts from 'typescript';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureBuilt, packageDir } from './helpers.ts';

let previous: ts.Program | undefined;

function compile(config: string): string {
  const configPath = path.join(packageDir, 'test/types', config);
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error(`cannot read ${configPath}`);
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    oldProgram: previous,
  });
  previous = program;
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => packageDir,
    getNewLine: () => '\n',
  });
}

test.before(() => ensureBuilt());

test('the fixtures compile against node:http itself (the reference)', () => {
  assert.is(compile('tsconfig.node.json'), '');
});

test('the same code compiles against @strata-http/http, both directions assignable', () => {
  assert.is(compile('tsconfig.strata.json'), '');
});

test.run();
