// ESLint (flat config): typescript-eslint's type-checked rules on every TypeScript file.
// `npm run lint` runs it with --max-warnings 0; .ci/run fails on any problem.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Generated or not ours: migrations (drizzle-kit), the console's build and its generated
    // OpenAPI types, local data. No JavaScript is hand-written here (this file aside): any .js
    // file is a built bundle.
    ignores: [
      'node_modules/',
      '.data/',
      '.tmp/',
      '.artifacts/',
      'coverage/',
      'db/migrations/',
      'console/dist/',
      'console/public/',
      'console/src/api-types.ts',
      'test/histories/',
      'deploy/',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked with the nearest tsconfig.json: the root one for the server,
        // workflows, tests and scripts, console/tsconfig.json (DOM, JSX) for console/src.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      // A leading underscore marks a name kept on purpose: a positional parameter a callback must
      // accept, or a field destructured only to leave it out of the rest (`{ id: _id, ...row }`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Off: here an `async` function without `await` is deliberate. It implements a
      // promise-returning interface (Temporal's PayloadCodec, the document store, Ant Design's
      // form validators, test doubles of them), and `async` turns a synchronous throw into a
      // rejected promise, which is what those callers handle. Dropping `async` to satisfy the rule
      // would make such a throw escape synchronously: a change of behaviour, not of style.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // React and Ant Design ignore what an event handler or `onFinish` returns, so an async handler
    // in a JSX attribute is the usual form; the handlers show their own failures (the pages' `run`
    // wrappers, try/catch into the form's problem). Promises passed anywhere else are still checked.
    files: ['console/src/**'],
    rules: {
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    // Tests, benchmarks and scripts read HTTP answers, JSON files and child-process output as
    // `any` (`await res.json()`, `JSON.parse`) and index into them to assert; typing every such
    // answer would double the tests without checking anything the assertions do not. Production
    // code (api/ activities/ db/ domain/ lib/ workflows/ worker.ts console/src) keeps these rules.
    files: ['test/**', 'bench/**', 'scripts/**', 'console/scripts/**'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
