/**
 * cronjob — starts Jobs on the schedules of batch/v1 CronJobs, as
 * kube-controller-manager's cronjob controller (v2) does
 * (pkg/controller/cronjob, v1.33): one Job per start time, named
 * `<cronjob>-<minutes since the epoch>`, within concurrencyPolicy (Allow,
 * Forbid, Replace), startingDeadlineSeconds and suspend; status.active,
 * lastScheduleTime and lastSuccessfulTime; the finished-Job history limits.
 *
 * Files: schedule-times.ts (start-time arithmetic), job-template.ts (the
 * Job for a start time), history.ts (finished Jobs and which to delete),
 * sync.ts (the executor of one sync). Schedules are parsed by
 * api/batch/cronjob/cron-schedule.ts (robfig/cron's rules, croner's times).
 * This file: informers, handlers, the queue.
 *
 * Keys are CronJobs (`ns/name`). A CronJob is enqueued when it is added or
 * deleted, when a Job it controls changes, and when it changes — at its
 * next start time when the change was to schedule or timeZone, at once
 * otherwise. After each sync it comes back at its next start time (+100
 * ms) on the clock: nothing polls.
 *
 * State: none of its own. The start times already run are in each
 * CronJob's status and in its Jobs' deterministic names, so a restart
 * (even between creating a Job and recording it) never starts the same
 * time twice; on start every CronJob is reconciled and a missed start
 * time is run late, as upstream does.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import { CronParseError, parseStandard } from '../../api/batch/cronjob/cron-schedule.ts';
import { EventRecorder } from '../../client/client.ts';
import type { ControllerDefinition } from '../controller.ts';
import { controllerRefOf, resolveControllerRef } from '../controller-ref.ts';
import { objectKey, splitKey } from '../object-key.ts';
import { ownerEventRef } from '../pod-template.ts';
import { QueueController } from '../queue-controller.ts';
import { RateLimitingQueue } from '../rate-limiting-queue.ts';
import { cronJobKind } from './job-template.ts';
import { formatSchedule, nextScheduleTimeDuration } from './schedule-times.ts';
import { syncCronJob } from './sync.ts';

export const cronJobControllerName = 'cronjob-controller';

export const cronJobController: ControllerDefinition = {
  name: 'cronjob',
  create({ client, informers, clock, log }) {
    const cronJobs = informers.forResource('cronjobs');
    const jobs = informers.forResource('jobs');
    const queue = new RateLimitingQueue(clock);
    const recorder = new EventRecorder(client.events, { component: cronJobControllerName }, () => clock.now(), log);
    const enqueue = (cj: CronJob) => queue.add(objectKey(cj));
    const ownerOf = (job: Job, ref = controllerRefOf(job)) =>
      resolveControllerRef(ref, cronJobKind, (name) => cronJobs.lister.get(job.metadata?.namespace ?? '', name));

    // updateCronJob: a new schedule or zone waits for its own next start time; any other change is looked at now.
    const cronJobUpdated = (old: CronJob, cur: CronJob) => {
      if (old.spec?.schedule === cur.spec?.schedule && old.spec?.timeZone === cur.spec?.timeZone) return enqueue(cur);
      let schedule;
      try {
        schedule = parseStandard(formatSchedule(cur).spec);
      } catch (err) {
        if (!(err instanceof CronParseError)) throw err;
        recorder.record(ownerEventRef(cur, cronJobKind), 'Warning', 'UnParseableCronJobSchedule', `unparseable schedule for cronjob: ${cur.spec?.schedule}`);
        return;
      }
      queue.addAfter(objectKey(cur), nextScheduleTimeDuration(cur, clock.now(), schedule));
    };
    cronJobs.addEventHandler({ add: enqueue, update: cronJobUpdated, delete: enqueue });

    const jobGone = (job: Job) => {
      const cj = ownerOf(job);
      if (cj) enqueue(cj);
    };
    jobs.addEventHandler({
      add(job) {
        // After a restart a Job may show up already being deleted: not a creation.
        if (job.metadata?.deletionTimestamp) return jobGone(job);
        jobGone(job);
      },
      update(old, cur) {
        if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
        const curRef = controllerRefOf(cur);
        const oldRef = controllerRefOf(old);
        if (oldRef && !isDeepStrictEqual(curRef, oldRef)) {
          const prev = ownerOf(old, oldRef);
          if (prev) enqueue(prev);
        }
        if (curRef) {
          const cj = ownerOf(cur, curRef);
          if (cj) enqueue(cj);
        }
      },
      delete: jobGone,
    });

    const reconcile = (key: string) => {
      const { namespace, name } = splitKey(key);
      const cached = cronJobs.lister.get(namespace, name);
      if (!cached) return;
      return syncCronJob(
        { cronJobs: client.resource('cronjobs'), jobs: client.resource('jobs'), recorder, now: () => clock.now() },
        cached,
        jobs.lister.listInNamespace(namespace ?? ''),
      );
    };
    return new QueueController({ name: 'cronjob', queue, reconcile, log });
  },
};
