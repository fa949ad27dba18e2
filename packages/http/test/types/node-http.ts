// `http-under-test` → node:http itself (the reference compile).
export * from 'node:http';
export { default } from 'node:http';
