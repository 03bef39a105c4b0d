#!/usr/bin/env node
// The `berth` command. Everything happens in cli.ts; this file only runs it.
//
// Node's compile cache keeps the type-stripped, compiled form of berth's
// TypeScript between runs (in node_modules/.cache, beside the dependencies),
// so a start does not load the type stripper at all: about 30 MB less
// memory and a faster start. A missing or read-only cache only costs that.
import { enableCompileCache } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';

// A long-running server does not need V8's large young generation, which
// otherwise grows to ~100 MB under request churn and stays.
setFlagsFromString('--max-semi-space-size=4');

enableCompileCache(join(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'berth-compile'));
const { main } = await import('./cli.ts');

process.exitCode = await main(process.argv.slice(2));
