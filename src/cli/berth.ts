#!/usr/bin/env node
// The `berth` command. Everything happens in cli.ts; this file only runs it.
import { main } from './cli.ts';

process.exitCode = await main(process.argv.slice(2));
