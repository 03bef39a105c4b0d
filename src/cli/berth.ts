#!/usr/bin/env node
// Kept for npx, which remembers a local package's bin path: an npx cache made
// while the bin was this file still runs it. The entry is berth.js.
const entry = './berth.js';
await import(entry);
