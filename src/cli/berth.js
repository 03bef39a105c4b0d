#!/usr/bin/env node
// The `berth` command. Everything happens in cli.ts; this file only runs it.
//
// Node's compile cache keeps the type-stripped, compiled form of berth's
// TypeScript between runs (in node_modules/.cache, beside the dependencies),
// so a start does not load the type stripper at all: about 30 MB less
// memory and a faster start. A missing or read-only cache only costs that.
// This file is plain JavaScript for the same reason: Node would strip the
// types of a TypeScript entry before the cache is enabled (~45 ms a start).
import { enableCompileCache } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';

// berth is a long-running server with a small live heap (~35 MB with 100
// pods) but a lot of short-lived garbage from gRPC calls to containerd. V8's
// default sizing lets the committed heap grow to ~220 MB under that churn and
// keeps it; sizing for memory keeps it near 65 MB.
setFlagsFromString('--optimize-for-size');
setFlagsFromString('--max-semi-space-size=2');

enableCompileCache(join(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'berth-compile'));
const { main } = await import('./cli.ts');

process.exitCode = await main(process.argv.slice(2));
