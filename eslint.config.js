import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'

const noFocusedTests = {
  selector: "CallExpression[callee.property.name='only'][callee.object.name=/^(it|describe|test)$/]",
  message: 'No focused tests.',
}
const postgisCall = String.raw`/\bST_\w+\s*\(/`
const postgisOutsideQueries = 'PostGIS (ST_*) belongs in a query module (queries.ts) or in db/postgis.ts — add a helper there.'
const clientImportsServer = {
  group: ['@riskatlas/server', '@riskatlas/server/*', '**/server/src/**'],
  message: 'The client never imports the server: take shapes from @riskatlas/shared, calls from client/src/api/.',
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/town/**', '.data/**', 'tests/artifacts/**'] },
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  // Formatting is Prettier's job; this turns off the lint rules that would argue with it.
  prettier,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', noFocusedTests],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  // Import boundaries (ARCHITECTURE.md, "How to add a capability").
  {
    files: ['client/**/*.ts', 'client/**/*.vue'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [clientImportsServer] }] },
  },
  {
    // The one door: the typed client reads the server's route types, never its code.
    files: ['client/src/api/client.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ ...clientImportsServer, allowTypeImports: true }] }] },
  },
  {
    files: ['server/src/**/routes.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: String.raw`(^|/)routes(\.ts)?$`,
              message: 'Routes never import each other: share a query (queries.ts) or a rule instead.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/**/queries.ts', 'server/src/db/postgis.ts', 'server/src/db/migrations/**', 'server/src/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        noFocusedTests,
        { selector: `TemplateElement[value.raw=${postgisCall}]`, message: postgisOutsideQueries },
        { selector: `Literal[value=${postgisCall}]`, message: postgisOutsideQueries },
      ],
    },
  },
)
