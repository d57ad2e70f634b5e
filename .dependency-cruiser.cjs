/** Layer rules: the attendance core stays pure; adapters depend on it, never the other way round. */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'bot/src/attendance holds the attendance rules: nothing from Teams, HTTP, storage, packages or I/O.',
      severity: 'error',
      from: { path: '^bot/src/attendance/' },
      to: { pathNot: ['^bot/src/attendance/', '^node:crypto$', '^crypto$'] },
    },
    {
      name: 'store-knows-no-teams-or-http',
      severity: 'error',
      from: { path: '^bot/src/store/' },
      to: { path: '^bot/src/(teams|http)/' },
    },
    {
      name: 'teams-does-not-use-http',
      severity: 'error',
      from: { path: '^bot/src/teams/' },
      to: { path: '^bot/src/http/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
