/**
 * `kubectl get endpointslices` columns, ported from `printEndpointSlice`,
 * `formatDiscoveryPorts`, `formatDiscoveryEndpoints` and `listWithMoreString`
 * in kubernetes `pkg/printers/internalversion/printers.go` (v1.33).
 */
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { translateTimestampSince } from '../../printers/human-duration.ts';
import { ageColumn, column, metaOf, nameColumn, type Printer } from '../../printers/table.ts';

/** The v1beta1 swagger docs, which kube-apiserver's printer still quotes. */
const docs = {
  addressType:
    'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.',
  ports:
    'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates "all ports". Each slice may include a maximum of 100 ports.',
  endpoints: 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.',
};

const max = 3;

/** `listWithMoreString`: `a,b,c + N more...`, `<unset>` for nothing. */
function listWithMore(list: string[], count: number): string {
  const ret = list.join(',');
  if (count > max) return `${ret} + ${count - max} more...`;
  return ret === '' ? '<unset>' : ret;
}

/** `formatDiscoveryPorts`: the port number, else the name, else `*` (all ports). */
export function formatDiscoveryPorts(ports: readonly EndpointPort[] | null | undefined): string {
  const all = ports ?? [];
  const list = all.slice(0, max).map((p) => (typeof p.port === 'number' ? String(p.port) : typeof p.name === 'string' ? p.name : '*'));
  return listWithMore(list, all.length);
}

/** `formatDiscoveryEndpoints`: every address of every endpoint, ready or not. */
export function formatDiscoveryEndpoints(endpoints: readonly Endpoint[] | null | undefined): string {
  const all = (endpoints ?? []).flatMap((ep) => ep.addresses ?? []);
  return listWithMore(all.slice(0, max), all.length);
}

export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn,
    column('AddressType', 'string', docs.addressType),
    column('Ports', 'string', docs.ports),
    column('Endpoints', 'string', docs.endpoints),
    ageColumn,
  ],
  cells(obj, now) {
    const slice = obj as EndpointSlice;
    return [
      metaOf(slice).name ?? '',
      slice.addressType ?? '',
      formatDiscoveryPorts(slice.ports),
      formatDiscoveryEndpoints(slice.endpoints),
      translateTimestampSince(metaOf(slice).creationTimestamp, now),
    ];
  },
};
