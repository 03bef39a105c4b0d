import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import { cronJobPrinter } from './cronjob-printer.ts';

const NOW = Date.parse('2026-06-01T12:00:00Z');

function cronJob(spec: Partial<NonNullable<CronJob['spec']>>, status?: CronJob['status']): CronJob {
  return {
    metadata: { name: 'tick', creationTimestamp: new Date(NOW - 10 * 60_000).toISOString() },
    spec: {
      schedule: '*/1 * * * *',
      suspend: false,
      jobTemplate: { spec: { template: { spec: { containers: [{ name: 'tick', image: 'busybox:1.35' }, { name: 'log', image: 'fluentd' }] } } } },
      ...spec,
    },
    status,
  };
}

test('cronJobPrinter has printCronJob columns, CONTAINERS/IMAGES/SELECTOR only with -o wide', () => {
  assert.deepEqual(
    cronJobPrinter.columns.map((c) => [c.name, c.type, c.priority]),
    [
      ['Name', 'string', 0],
      ['Schedule', 'string', 0],
      ['Timezone', 'string', 0],
      ['Suspend', 'boolean', 0],
      ['Active', 'integer', 0],
      ['Last Schedule', 'string', 0],
      ['Age', 'string', 0],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ],
  );
});

test('cronJobPrinter prints <none> before the first schedule and for no time zone', () => {
  assert.deepEqual(cronJobPrinter.cells(cronJob({}), NOW), ['tick', '*/1 * * * *', '<none>', 'False', 0, '<none>', '10m', 'tick,log', 'busybox:1.35,fluentd', '<none>']);
});

test('cronJobPrinter prints the time zone, the active Jobs and the age of the last schedule', () => {
  const row = cronJobPrinter.cells(
    cronJob(
      { timeZone: 'Europe/Berlin', suspend: true },
      { active: [{ name: 'tick-1' }, { name: 'tick-2' }], lastScheduleTime: new Date(NOW - 45_000).toISOString() },
    ),
    NOW,
  );
  assert.deepEqual(row.slice(0, 7), ['tick', '*/1 * * * *', 'Europe/Berlin', 'True', 2, '45s', '10m']);
});

test('cronJobPrinter prints an unset suspend as <unset>', () => {
  const cj = cronJob({});
  delete cj.spec!.suspend;
  assert.equal(cronJobPrinter.cells(cj, NOW)[3], '<unset>');
});
