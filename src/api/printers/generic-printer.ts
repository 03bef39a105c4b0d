/**
 * For kinds without a printer. (kube-apiserver's default convertor shows
 * `Name` and `Created At`; berth shows `Name` and `Age`, which every kind it
 * serves has a printer for anyway.)
 */
import { translateTimestampSince } from './human-duration.ts';
import { ageColumn, metaOf, nameColumn, type Printer } from './table.ts';

export const genericPrinter: Printer = {
  columns: [nameColumn, ageColumn],
  cells(obj, now) {
    return [metaOf(obj).name ?? '', translateTimestampSince(metaOf(obj).creationTimestamp, now)];
  },
};
