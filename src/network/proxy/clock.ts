/**
 * Time as the service proxy sees it: berth's one `Clock` (src/clock), under
 * the names the proxy's files use.
 */
export type { Clock as ProxyClock, ClockTimer as ProxyTimer } from '../../clock/clock.ts';
export { systemClock } from '../../clock/clock.ts';
