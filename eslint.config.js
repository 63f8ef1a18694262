import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  ...importBoundaries(),
  {
    // A test never skips itself: a missing peer is a failure that names it (docs/contributing.md).
    files: ['**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['describe', 'it', 'test'].flatMap((object) =>
          ['skip', 'skipIf', 'runIf', 'todo'].map((property) => ({
            object,
            property,
            message: 'A test never skips itself; a missing peer must fail the run with its name.',
          })),
        ),
      ],
    },
  },
  {
    // One validated config loader per process reads the environment (docs/contributing.md).
    files: ['agent/src/**/*.ts', 'hub/src/**/*.ts'],
    ignores: ['**/config.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings through the config loader.' },
      ],
    },
  },
);

/**
 * The hub's rooms, lowest first (docs/architecture.md "Rooms"): a room may import the rooms
 * below it, never one above; features above talk to each other through the event bus. The
 * composition root (`app/`, `index.ts`, `server.ts`) sits on top of them all. Packages never
 * import the apps, and the apps never import each other.
 */
function importBoundaries() {
  const HUB_ROOMS = [
    ['core', 'config'],
    ['db'],
    ['http'],
    ['identity'],
    ['fleet'],
    ['timeseries'],
    ['helpdesk'],
    ['alerts'],
    ['knowledge'],
    ['ingest'],
    ['broker'],
    ['notify'],
    ['automation'],
    ['reports', 'live', 'portal', 'privacy'],
    ['ops'],
  ];
  const top = ['./hub/src/app', './hub/src/index.ts', './hub/src/server.ts'];
  const zones = HUB_ROOMS.flatMap((floor, i) =>
    floor.map((room) => ({
      target: `./hub/src/${room}`,
      from: [
        ...HUB_ROOMS.slice(i + 1)
          .flat()
          .map((r) => `./hub/src/${r}`),
        ...top,
      ],
      message: `the ${room} room may import only rooms below it (docs/architecture.md "Rooms")`,
    })),
  );
  const apps = ['agent', 'hub', 'web'];
  zones.push(
    {
      target: './packages',
      from: apps.map((a) => `./${a}`),
      message: 'packages never import the apps',
    },
    ...apps.map((app) => ({
      target: `./${app}`,
      from: apps.filter((a) => a !== app).map((a) => `./${a}`),
      message: 'an app speaks to another through the contract packages, never by import',
    })),
  );
  return [
    {
      files: ['{agent,hub,web,packages}/**/*.{ts,tsx}'],
      // A test may drive the whole hub through its composition root.
      ignores: ['**/*.test.ts'],
      plugins: { 'import-x': importX },
      settings: {
        // Which files the cycle check parses to follow their imports, and with what.
        'import-x/extensions': ['.ts', '.tsx', '.js'],
        'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
        'import-x/resolver-next': [createTypeScriptImportResolver({ alwaysTryTypes: true })],
      },
      rules: {
        'import-x/no-restricted-paths': ['error', { zones }],
        'import-x/no-cycle': ['error', { ignoreExternal: true }],
      },
    },
  ];
}
