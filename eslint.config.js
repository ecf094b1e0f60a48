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
