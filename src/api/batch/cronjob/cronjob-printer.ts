/**
 * `kubectl get cronjobs` columns, from `printCronJob` in kubernetes
 * `pkg/printers/internalversion/printers.go` (v1.33): NAME, SCHEDULE,
 * TIMEZONE (`<none>` when unset), SUSPEND (printBoolPtr: True, False or
 * `<unset>`), ACTIVE (the number of active Jobs), LAST SCHEDULE (age of
 * status.lastScheduleTime, `<none>` before the first), AGE; with `-o wide`
 * CONTAINERS, IMAGES and the job template's SELECTOR (FormatLabelSelector,
 * so `<none>` for the template's usual empty selector).
 */
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import { formatLabelSelector } from '../../label-selector-string.ts';
import { translateTimestampSince } from '../../printers/human-duration.ts';
import { ageColumn, column, metaOf, nameColumn, type Printer } from '../../printers/table.ts';
import { containerCells, containersColumn, imagesColumn } from '../../apps/pod-template-columns.ts';

/** The column descriptions: the swagger docs of the batch/v1beta1 fields printCronJob's definitions name. */
const docs = {
  schedule: 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.',
  timeZone:
    'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones This is beta field and must be enabled via the `CronJobTimeZone` feature gate.',
  suspend: 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.',
  active: 'A list of pointers to currently running jobs.',
  lastScheduleTime: 'Information when was the last time the job was successfully scheduled.',
  selector:
    'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
};

/** printBoolPtr. */
function boolPtrText(v: boolean | undefined): string {
  if (v === undefined || v === null) return '<unset>';
  return v ? 'True' : 'False';
}

export const cronJobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Schedule', 'string', docs.schedule),
    column('Timezone', 'string', docs.timeZone),
    column('Suspend', 'boolean', docs.suspend),
    column('Active', 'integer', docs.active),
    column('Last Schedule', 'string', docs.lastScheduleTime),
    ageColumn,
    containersColumn,
    imagesColumn,
    column('Selector', 'string', docs.selector, { priority: 1 }),
  ],
  cells(obj, now) {
    const cj = obj as CronJob;
    const last = cj.status?.lastScheduleTime;
    return [
      metaOf(cj).name ?? '',
      cj.spec?.schedule ?? '',
      cj.spec?.timeZone ?? '<none>',
      boolPtrText(cj.spec?.suspend),
      cj.status?.active?.length ?? 0,
      last ? translateTimestampSince(last, now) : '<none>',
      translateTimestampSince(metaOf(cj).creationTimestamp, now),
      ...containerCells(cj.spec?.jobTemplate?.spec?.template),
      formatLabelSelector(cj.spec?.jobTemplate?.spec?.selector),
    ];
  },
};
