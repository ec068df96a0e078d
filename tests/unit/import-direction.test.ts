import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Imports flow one way (STYLE.md): api → workflow → machines/domain (pure) → db, with notifications
// after commit. This reads every import of src/ and names each one that runs against that direction.
// (A small test rather than dependency-cruiser, which cannot read sources of TypeScript 7 yet.)

const root = path.resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return sources(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

/** The project files a module imports (type-only imports included), relative to the root. */
function importsOf(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*(['"])([^'"]+)\1/g)].map(
    (m) => m[2]!,
  );
  return resolved(file, specifiers);
}

/** The project files a module imports values from: `import type` and `export type` left out. */
function valueImportsOf(file: string, text: string): string[] {
  const statements = text.match(/^(?:import|export)\s[^;]*?from\s*(['"])[^'"]+\1/gms) ?? [];
  const specifiers = statements
    .filter((statement) => !/^(?:import|export)\s+type\s/.test(statement))
    .map((statement) => /(['"])([^'"]+)\1\s*$/.exec(statement)![2]!);
  return resolved(file, specifiers);
}

function resolved(file: string, specifiers: readonly string[]): string[] {
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(file), s)))
    .map((s) => s.replace(/\.js$/, '.ts'));
}

interface Rule {
  name: string;
  from: RegExp;
  to: RegExp;
  except?: RegExp;
  /** Only imports of values count (a type names a row's shape; it runs nothing). */
  valuesOnly?: true;
}

const rules: Rule[] = [
  {
    name: 'the statechart and domain rules are pure',
    from: /^src\/(machines|domain)\//,
    to: /^src\/(db|api|workflow|notifications|dossier|cli)\/|^src\/(main|config)\.ts$|^seeds\//,
  },
  {
    name: 'domain rules do not know the statechart',
    from: /^src\/domain\//,
    to: /^src\/machines\//,
  },
  {
    name: 'repositories know tables, not the engine, the API or seed data',
    from: /^src\/db\//,
    to: /^src\/(api|workflow|notifications|dossier|cli)\/|^src\/main\.ts$|^seeds\//,
  },
  {
    name: 'the engine and deliveries never reach up into HTTP',
    from: /^src\/(workflow|notifications|dossier)\//,
    to: /^src\/(api|cli)\/|^src\/main\.ts$/,
  },
  {
    name: 'a route depends on ApiDependencies, not on the app',
    from: /^src\/api\/routes\//,
    to: /^src\/api\/app\.ts$/,
  },
  {
    name: 'a route reads and writes through use cases (src/workflow), not repositories',
    from: /^src\/api\/routes\//,
    to: /^src\/db\//,
    valuesOnly: true,
  },
  { name: 'tools use use cases, not the HTTP layer', from: /^src\/cli\//, to: /^src\/api\// },
  {
    name: 'the demo scenario is data for seeding and the banner only',
    from: /^src\//,
    to: /^seeds\//,
    except: /^src\/workflow\/seed-demo\.ts$|^src\/main\.ts$|^src\/cli\//,
  },
];

interface Module {
  file: string;
  imports: readonly string[];
  values?: readonly string[];
}

function violations(files: readonly Module[]) {
  return files.flatMap(({ file, imports, values = imports }) =>
    rules.flatMap((r) =>
      (r.valuesOnly ? values : imports)
        .filter((target) => r.from.test(file) && r.to.test(target) && !r.except?.test(file))
        .map((target) => `${file} → ${target}: ${r.name}`),
    ),
  );
}

describe('the import graph', () => {
  it('has no import against the direction of the layers', () => {
    const files = sources('src').map((file) => {
      const text = readFileSync(path.join(root, file), 'utf8');
      return { file, imports: importsOf(file, text), values: valueImportsOf(file, text) };
    });
    expect(files.length).toBeGreaterThan(50);
    expect(violations(files)).toEqual([]);
  });

  it('names an import that runs the wrong way', () => {
    const bad = [
      {
        file: 'src/db/guideline-lock.ts',
        imports: importsOf('src/db/x.ts', "from '../workflow/errors.js'"),
      },
      { file: 'src/domain/visibility.ts', imports: ['src/db/schema.ts'] },
      { file: 'src/api/routes/users.ts', imports: ['src/api/app.ts'] },
      {
        file: 'src/api/routes/users.ts',
        imports: [],
        values: valueImportsOf(
          'src/api/routes/users.ts',
          "import { listUsers } from '../../db/user-list.js';",
        ),
      },
    ];
    expect(violations(bad)).toHaveLength(4);
    // A route may name a row's type; it may not run a repository's query.
    const typeOnly = "import type { CommentRow } from '../../db/comment-list.js';";
    expect(valueImportsOf('src/api/routes/x.ts', typeOnly)).toEqual([]);
    expect(
      valueImportsOf('src/api/routes/x.ts', "import {\n  type A,\n  b,\n} from '../../db/x.js';"),
    ).toEqual(['src/db/x.ts']);
    expect(importsOf('src/db/x.ts', "import type { A } from '../workflow/errors.js';")).toEqual([
      'src/workflow/errors.ts',
    ]);
    expect(importsOf('src/cli/x.ts', 'import { b } from "../api/app.js";')).toEqual([
      'src/api/app.ts',
    ]);
  });
});
