#!/usr/bin/env node
// Launcher: run gpu-check.ts through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
await import('./gpu-check.ts');
