#!/usr/bin/env node
// Thin launcher: run the TypeScript CLI through tsx so `npx corpus-store` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../src/store-cli.ts');
