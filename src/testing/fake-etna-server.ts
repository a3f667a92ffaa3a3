// The fake server's former home, kept while src/testing/model/ still imports from it: the server is fake/index.ts.
export * from './fake/index.js';
