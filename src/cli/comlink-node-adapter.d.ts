// Comlink ships this adapter's types beside its .mjs under another name: the import by file needs them named.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  export { default } from 'comlink/dist/esm/node-adapter';
}
