// Lint is where the layer rules of ARCHITECTURE.md are enforced, as errors.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'assert', 'buffer', 'child_process', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http', 'https',
  'http2', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'tls', 'url', 'util', 'worker_threads',
  'zlib',
];

/** Imports a layer may never make; the message says which rule of ARCHITECTURE.md it breaks. */
const layer = {
  shared: {
    paths: ['electron', 'better-sqlite3', 'serialport', 'react', 'react-dom', 'ws', ...NODE_BUILTINS].map((name) => ({
      name,
      message: 'shared/ is pure TypeScript used by both sides: no Node, Electron, DOM or device imports.',
    })),
    patterns: [
      { group: ['node:*'], message: 'shared/ must not import Node built-ins.' },
      { group: ['**/electron/**', '**/renderer/**', '**/test/**'], message: 'shared/ imports only shared/.' },
    ],
  },
  renderer: {
    paths: ['electron', 'better-sqlite3', 'serialport', 'ws', ...NODE_BUILTINS].map((name) => ({
      name,
      message: 'renderer/ is DOM only: talk to the main side through the API client.',
    })),
    patterns: [
      { group: ['node:*'], message: 'renderer/ must not import Node built-ins.' },
      { group: ['**/electron/**'], message: 'renderer/ never imports electron/: use shared/api.ts.' },
    ],
  },
  electron: {
    paths: [{ name: 'electron', message: 'Only electron/main.ts, electron/preload/* and electron/adapters/* import electron: the rest runs under plain Node.' }],
    patterns: [{ group: ['**/renderer/**'], message: 'electron/ never imports renderer/.' }],
  },
  // The hub (electron/hub/) is a second composition root under plain Node: it never loads Electron and never the
  // counter's services; it may reuse shared/ and pure helpers (e.g. electron/db/private-files).
  hub: {
    paths: [{ name: 'electron', message: 'electron/hub/ runs under plain Node: it never imports electron.' }],
    patterns: [
      { group: ['**/renderer/**'], message: 'electron/ never imports renderer/.' },
      {
        // '../app' from electron/hub/ is the counter's root; from a hub sub-folder it would be the hub's own root,
        // which nothing below it imports either (only electron/hub/cli.ts starts it, as './app').
        group: ['**/electron/app', '**/electron/app.ts', '../app', '../app.ts', '../../app', '../../app.ts', '**/payments/**', '**/payments', '**/shifts/**',
          '**/shifts', '**/wiring/**', '**/wiring', '**/sync/**', '**/items/**', '**/security/**',
          // The key-file cipher is a pure AES-256-GCM helper: the hub seals merchant credentials with it too.
          '!**/security/key-file-cipher', '!**/security/cipher', '**/host/**', '**/devices/**', '**/display/**',
          '**/adapters/**', '**/preload/**', '**/settings/**'],
        message: 'electron/hub/ never imports the counter\'s services (its composition root is electron/hub/app.ts).',
      },
    ],
  },
};

const noFocusedOrSkipped = ['it', 'test', 'describe'].flatMap((object) =>
  ['only', 'skip', 'todo'].map((property) => ({ object, property, message: 'No focused, skipped or placeholder tests.' })),
);

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'release/', 'test-results/', 'playwright-report/', 'bench-results/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        { selector: "CallExpression[callee.name='xit'], CallExpression[callee.name='xdescribe']", message: 'No skipped tests.' },
      ],
      'no-restricted-properties': ['error', ...noFocusedOrSkipped],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', setInterval: 'readonly' },
    },
  },
  {
    files: ['*.config.ts', '*.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  { files: ['shared/**/*.{ts,tsx}'], rules: { 'no-restricted-imports': ['error', layer.shared],
    'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', 'require'] } },
  { files: ['renderer/**/*.{ts,tsx}'], rules: { 'no-restricted-imports': ['error', layer.renderer] } },
  { files: ['electron/**/*.ts'], rules: { 'no-restricted-imports': ['error', layer.electron] } },
  {
    // The thin Electron-facing files: the only places allowed to import the electron module.
    files: ['electron/main.ts', 'electron/preload/**/*.ts', 'electron/adapters/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: layer.electron.patterns }] },
  },
  { files: ['electron/hub/**/*.ts'], rules: { 'no-restricted-imports': ['error', layer.hub] } },
);
