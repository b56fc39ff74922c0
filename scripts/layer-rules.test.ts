/**
 * The layer rules in biome.json and tsconfig.sync.json, each shown failing on a deliberate
 * violation, beside an allowed import in the same folder, so that a typo in a glob or an override
 * that silently replaces another cannot switch a rule off without this test going red.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIOME = path.join(ROOT, 'node_modules/.bin/biome');

interface Probe {
  /** A folder the rule covers, relative to the repository. */
  dir: string;
  source: string;
  /** Part of the rule's message; null when the import is allowed. */
  refused: string | null;
}

const PROBES: Probe[] = [
  { dir: 'sync', source: "import { useState } from 'react';", refused: 'never imports React' },
  {
    dir: 'sync/stores',
    source: "import { createRoot } from 'react-dom/client';",
    refused: 'never imports React',
  },
  {
    dir: 'sync',
    source: "import { useLiveQuery } from 'dexie-react-hooks';",
    refused: 'never imports React',
  },
  {
    dir: 'sync/stores',
    source: "import { createClient } from '@supabase/supabase-js';",
    refused: 'Only sync/transports/ talks to Supabase',
  },
  { dir: 'sync/transports', source: "import { createClient } from '@supabase/supabase-js';", refused: null },
  // The transports override replaces the sync/ one, so it must repeat the React rule.
  { dir: 'sync/transports', source: "import { useState } from 'react';", refused: 'never imports React' },
  {
    dir: 'sync',
    source: "import { services } from '../src/data/services.ts';",
    refused: 'imports nothing from src/',
  },
  {
    dir: 'src/features/qa',
    source: "import { draft } from '../booking/booking-draft.ts';",
    refused: 'Features do not',
  },
  {
    dir: 'src/features/qa',
    source: "export { draft } from '../../features/booking/booking-draft.ts';",
    refused: 'Features do not',
  },
  { dir: 'src/features/qa', source: "import { services } from '../../data/services.ts';", refused: null },
  { dir: 'src/features/qa', source: "import { routes } from '../../app/routes.tsx';", refused: 'top layer' },
  {
    dir: 'src/features/qa',
    source: "import { createClient } from '@supabase/supabase-js';",
    refused: 'src/data/',
  },
  {
    dir: 'src/features/qa',
    source: "import { FaultController } from '../../../supabase/local/faults.ts';",
    refused: 'Node server code',
  },
  {
    dir: 'src/features/qa',
    source: "import { faultSettings } from '../../../supabase/local/fault-settings.ts';",
    refused: null,
  },
  { dir: 'src/app', source: "import { QaScreen } from '../features/qa/qa-screen.tsx';", refused: null },
  {
    dir: 'src/data',
    source: "import { form } from '../features/qa/fault-form.ts';",
    refused: 'Only src/app/',
  },
  { dir: 'src/data', source: "import { createClient } from '@supabase/supabase-js';", refused: null },
  { dir: 'src/components', source: "import { text } from '../app/indicator-text.ts';", refused: 'top layer' },
  { dir: 'src/lib', source: "import { translate } from '../i18n/translate.ts';", refused: null },
  {
    dir: 'src/lib',
    source: "import { screen } from '../features/profile/profile-screen.tsx';",
    refused: 'Only src/app/',
  },
  {
    dir: 'src/i18n',
    source: "import { router } from '../lib/router.ts';",
    refused: 'i18n/ sits below src/lib/',
  },
  // Classic zod, refused everywhere: by the top-level rule and again by each override, which replaces it.
  ...['sync', 'sync/transports', 'src', 'src/app', 'src/features/qa', 'src/lib', 'src/data', 'src/i18n'].map(
    (dir): Probe => ({ dir, source: "import { z } from 'zod';", refused: 'Import zod/mini, not zod' }),
  ),
  { dir: 'src/data', source: "import { z } from 'zod/v4';", refused: 'Import zod/mini, not zod' },
  { dir: 'src/data', source: "import { z } from 'zod/mini';", refused: null },
  { dir: 'supabase/local', source: "import { z } from 'zod';", refused: 'Import zod/mini, not zod' },
];

interface BiomeDiagnostic {
  category: string;
  message: string;
  location: { path: string };
}

describe('import-direction rules (biome noRestrictedImports)', () => {
  const files: string[] = [];
  let diagnostics: BiomeDiagnostic[] = [];

  beforeAll(() => {
    // Real files in the real folders: the rules are per-folder overrides, matched on the file's path.
    const tag = `${process.pid}-${Date.now()}`;
    PROBES.forEach((probe, i) => {
      const file = path.join(probe.dir, `zz-layer-probe-${tag}-${i}.ts`);
      const name = probe.source.match(/\{ (\w+) \}/)?.[1];
      fs.writeFileSync(path.join(ROOT, file), `${probe.source}\n\nexport const probe = ${name};\n`);
      files.push(file);
    });
    const run = spawnSync(BIOME, ['lint', '--reporter=json', ...files], { cwd: ROOT, encoding: 'utf8' });
    const report = JSON.parse(run.stdout) as { diagnostics: BiomeDiagnostic[] };
    diagnostics = report.diagnostics.filter((d) => d.category === 'lint/style/noRestrictedImports');
  });

  afterAll(() => {
    for (const file of files) fs.rmSync(path.join(ROOT, file), { force: true });
  });

  PROBES.forEach((probe, i) => {
    const verdict = probe.refused === null ? 'allows' : 'refuses';
    it(`${probe.dir}/ ${verdict}: ${probe.source}`, () => {
      const found = diagnostics.filter((d) => d.location.path === files[i]).map((d) => d.message);
      if (probe.refused === null) expect(found).toEqual([]);
      else expect(found).toEqual([expect.stringContaining(probe.refused)]);
    });
  });
});

describe('sync/ compiles without the DOM lib (tsconfig.sync.json)', () => {
  function errorsUnder(configFile: string, source: string): string[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layer-probe-'));
    try {
      const probe = path.join(dir, 'probe.ts');
      fs.writeFileSync(probe, source);
      const read = ts.readConfigFile(path.join(ROOT, configFile), ts.sys.readFile);
      const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, configFile);
      const program = ts.createProgram([probe], parsed.options);
      return ts
        .getPreEmitDiagnostics(program)
        .filter((d) => d.file?.fileName === probe)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  const domUse =
    'export const online: boolean = navigator.onLine && document.visibilityState === "visible";\n';
  const sharedUse = 'export const id: string = crypto.randomUUID() + new URL("https://x.test").host;\n';

  it('refuses window, document and navigator, which the main config accepts', () => {
    expect(errorsUnder('tsconfig.json', domUse)).toEqual([]);
    const errors = errorsUnder('tsconfig.sync.json', domUse);
    expect(errors.some((e) => e.includes("'navigator'"))).toBe(true);
    expect(errors.some((e) => e.includes("'document'"))).toBe(true);
  });

  it('accepts the globals a page, a worker and Node share', () => {
    expect(errorsUnder('tsconfig.sync.json', sharedUse)).toEqual([]);
  });
});
