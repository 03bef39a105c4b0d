/**
 * Invalid Services and the exact errors kube-apiserver v1.33 returns for
 * them, in order (validation.go `ValidateService`, `ValidateServiceUpdate`,
 * `ValidateServiceStatusUpdate`). Fixtures are Services as stored: defaulted
 * and allocated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderFieldError } from '../field-error.ts';
import { errors } from '../errors.ts';
import type { Obj } from './field-errors.ts';
import { LABEL_MSG, LABEL_VALUE_MSG, SUBDOMAIN_MSG } from './pod-fixtures.ts';
import { validateService, validateServiceStatusUpdate, validateServiceUpdate } from './validation.ts';

const PORT_RANGE = 'must be between 1 and 65535, inclusive';
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** A ClusterIP Service as stored after defaulting and allocation. */
function svc(mutate: (s: Obj) => void = () => {}): Obj {
  const s: Obj = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', resourceVersion: '1' },
    spec: {
      type: 'ClusterIP',
      selector: { app: 'web' },
      ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
      clusterIP: '10.96.12.34',
      clusterIPs: ['10.96.12.34'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
    },
    status: { loadBalancer: {} },
  };
  mutate(s);
  return s;
}

/** A NodePort Service as stored. */
const nodePort = (mutate: (s: Obj) => void = () => {}): Obj =>
  svc((s) => {
    s.spec.type = 'NodePort';
    s.spec.externalTrafficPolicy = 'Cluster';
    s.spec.ports[0].nodePort = 30080;
    mutate(s);
  });

interface Case {
  name: string;
  service: Obj;
  want: string[];
}

const cases: Case[] = [
  { name: 'a valid ClusterIP Service', service: svc(), want: [] },
  { name: 'a valid NodePort Service', service: nodePort(), want: [] },
  {
    name: 'the name is not a DNS-1035 label',
    service: svc((s) => (s.metadata.name = '1web')),
    want: [`metadata.name: Invalid value: "1web": ${DNS1035_MSG}`],
  },
  {
    name: 'there are no ports',
    service: svc((s) => (s.spec.ports = [])),
    want: ['spec.ports: Required value'],
  },
  {
    name: 'two ports have no names',
    service: svc((s) => s.spec.ports.push({ port: 81, targetPort: 81, protocol: 'TCP' })),
    want: ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value'],
  },
  {
    name: 'two ports share a name',
    service: svc((s) => {
      s.spec.ports[0].name = 'http';
      s.spec.ports.push({ name: 'http', port: 81, targetPort: 81, protocol: 'TCP' });
    }),
    want: ['spec.ports[1].name: Duplicate value: "http"'],
  },
  {
    name: 'a port name is not a DNS-1123 label',
    service: svc((s) => (s.spec.ports[0].name = 'HTTP')),
    want: [`spec.ports[0].name: Invalid value: "HTTP": ${LABEL_MSG}`],
  },
  {
    name: 'the port is 0',
    service: svc((s) => (s.spec.ports[0].port = 0)),
    want: [`spec.ports[0].port: Invalid value: 0: ${PORT_RANGE}`],
  },
  {
    name: 'the protocol is HTTP',
    service: svc((s) => (s.spec.ports[0].protocol = 'HTTP')),
    want: ['spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
  },
  {
    name: 'the targetPort is out of range',
    service: svc((s) => (s.spec.ports[0].targetPort = 70000)),
    want: [`spec.ports[0].targetPort: Invalid value: 70000: ${PORT_RANGE}`],
  },
  {
    name: 'the targetPort is a name in capitals',
    service: svc((s) => (s.spec.ports[0].targetPort = 'HTTP')),
    want: [
      'spec.ports[0].targetPort: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.ports[0].targetPort: Invalid value: "HTTP": must contain at least one letter (a-z)',
    ],
  },
  {
    name: 'the appProtocol is not a qualified name',
    service: svc((s) => (s.spec.ports[0].appProtocol = 'a/b/c')),
    want: [
      "spec.ports[0].appProtocol: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ],
  },
  {
    name: 'the selector has an invalid label value',
    service: svc((s) => (s.spec.selector = { app: 'a b' })),
    want: [`spec.selector: Invalid value: "a b": ${LABEL_VALUE_MSG}`],
  },
  {
    name: 'the session affinity is unknown',
    service: svc((s) => (s.spec.sessionAffinity = 'Sticky')),
    want: ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'],
  },
  {
    name: 'ClientIP affinity has a timeout of 0',
    service: svc((s) => {
      s.spec.sessionAffinity = 'ClientIP';
      s.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 0 } };
    }),
    want: ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400'],
  },
  {
    name: 'ClientIP affinity has no config',
    service: svc((s) => (s.spec.sessionAffinity = 'ClientIP')),
    want: ['spec.sessionAffinityConfig: Required value: when session affinity type is ClientIP'],
  },
  {
    name: 'affinity None has a config',
    service: svc((s) => (s.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10 } })),
    want: ['spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None'],
  },
  {
    name: 'the type is unknown',
    service: svc((s) => (s.spec.type = 'Ingress')),
    want: ['spec.type: Unsupported value: "Ingress": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
  },
  {
    name: 'a ClusterIP Service has a nodePort',
    service: svc((s) => (s.spec.ports[0].nodePort = 30080)),
    want: ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
  },
  {
    name: 'two ports share port and protocol',
    service: svc((s) => {
      s.spec.ports[0].name = 'a';
      s.spec.ports.push({ name: 'b', port: 80, targetPort: 81, protocol: 'TCP' });
    }),
    want: [
      'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    ],
  },
  {
    name: 'two NodePort ports share a node port and protocol',
    service: nodePort((s) => {
      s.spec.ports[0].name = 'a';
      s.spec.ports.push({ name: 'b', port: 81, targetPort: 81, protocol: 'TCP', nodePort: 30080 });
    }),
    want: ['spec.ports[1].nodePort: Duplicate value: 30080'],
  },
  {
    name: 'the clusterIP is not an IP',
    service: svc((s) => {
      s.spec.clusterIP = 'abc';
      s.spec.clusterIPs = ['abc'];
    }),
    want: ['spec.clusterIPs[0]: Invalid value: "abc": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
  },
  {
    name: 'clusterIPs[0] differs from clusterIP',
    service: svc((s) => (s.spec.clusterIPs = ['10.96.0.6'])),
    want: ['spec.clusterIPs: Invalid value: []string{"10.96.0.6"}: first value must match `clusterIP`'],
  },
  {
    name: 'clusterIPs holds two IPv4 addresses',
    service: svc((s) => (s.spec.clusterIPs = ['10.96.12.34', '10.96.12.35'])),
    want: ['spec.clusterIPs: Invalid value: []string{"10.96.12.34", "10.96.12.35"}: may specify no more than one IP for each IP family'],
  },
  {
    name: 'an IPv6 clusterIP is labelled IPv4',
    service: svc((s) => {
      s.spec.clusterIP = 'fd00::5';
      s.spec.clusterIPs = ['fd00::5'];
    }),
    want: ['spec.clusterIPs[0]: Invalid value: "fd00::5": expected an IPv4 value as indicated by `ipFamilies[0]`'],
  },
  {
    name: 'the IP family policy is unknown',
    service: svc((s) => (s.spec.ipFamilyPolicy = 'Dual')),
    want: ['spec.ipFamilyPolicy: Unsupported value: "Dual": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"'],
  },
  {
    name: 'an IP family is unknown',
    service: svc((s) => (s.spec.ipFamilies = ['IPv5'])),
    want: ['spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"'],
  },
  {
    name: 'a NodePort Service is headless',
    service: nodePort((s) => {
      s.spec.clusterIP = 'None';
      s.spec.clusterIPs = ['None'];
    }),
    want: ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"],
  },
  {
    name: 'an ExternalName Service has cluster IPs and no externalName',
    service: svc((s) => (s.spec.type = 'ExternalName')),
    want: [
      'spec.clusterIPs: Forbidden: may not be set for ExternalName services',
      'spec.ipFamilies: Forbidden: may not be set for ExternalName services',
      'spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services',
      'spec.externalName: Required value',
    ],
  },
  {
    name: 'an externalName is not a DNS subdomain',
    service: svc((s) => {
      s.spec = { type: 'ExternalName', externalName: 'Db_Host.', sessionAffinity: 'None' };
    }),
    want: [`spec.externalName: Invalid value: "Db_Host": ${SUBDOMAIN_MSG}`],
  },
  {
    name: 'an external IP is loopback',
    service: svc((s) => {
      s.spec.externalIPs = ['127.0.0.1'];
      s.spec.externalTrafficPolicy = 'Cluster';
    }),
    want: ['spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)'],
  },
  {
    name: 'a ClusterIP Service has an externalTrafficPolicy',
    service: svc((s) => (s.spec.externalTrafficPolicy = 'Local')),
    want: ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'],
  },
  {
    name: 'a NodePort Service has an unknown externalTrafficPolicy',
    service: nodePort((s) => (s.spec.externalTrafficPolicy = 'Nearest')),
    want: ['spec.externalTrafficPolicy: Unsupported value: "Nearest": supported values: "Cluster", "Local"'],
  },
  {
    name: 'the internalTrafficPolicy is unknown',
    service: svc((s) => (s.spec.internalTrafficPolicy = 'Node')),
    want: ['spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"'],
  },
  {
    name: 'a healthCheckNodePort is set on a ClusterIP Service',
    service: svc((s) => (s.spec.healthCheckNodePort = 30000)),
    want: ["spec.healthCheckNodePort: Invalid value: 30000: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"],
  },
  {
    name: 'a ClusterIP Service has source ranges',
    service: svc((s) => (s.spec.loadBalancerSourceRanges = ['10.0.0.0/8', 'nope'])),
    want: [
      "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
      'spec.LoadBalancerSourceRanges[1]: Invalid value: "nope": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ],
  },
  {
    name: 'a ClusterIP Service sets allocateLoadBalancerNodePorts and a loadBalancerClass',
    service: svc((s) => {
      s.spec.allocateLoadBalancerNodePorts = true;
      s.spec.loadBalancerClass = 'example.com/lb';
    }),
    want: [
      "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'",
      "spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ],
  },
  {
    name: 'the traffic distribution is unknown',
    service: svc((s) => (s.spec.trafficDistribution = 'Nearby')),
    want: ['spec.trafficDistribution: Unsupported value: "Nearby": supported values: "PreferClose"'],
  },
  {
    name: 'the topology annotations disagree',
    service: svc((s) => (s.metadata.annotations = { 'service.kubernetes.io/topology-aware-hints': 'Auto', 'service.kubernetes.io/topology-mode': 'Off' })),
    want: ['metadata.annotations[service.kubernetes.io/topology-mode]: Invalid value: "Off": must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified'],
  },
];

test('the invalid Service table has at least 35 cases', () => {
  assert.ok(cases.length >= 35, `only ${cases.length} cases`);
});

for (const c of cases) {
  test(`validateService reports the Kubernetes errors when ${c.name}`, () => {
    assert.deepEqual(validateService(c.service).map(renderFieldError), c.want);
  });
}

test('validateServiceUpdate refuses a changed cluster IP, which kubectl prints as the 422 message', () => {
  const old = svc();
  const changed = svc((s) => {
    s.spec.clusterIP = '10.96.0.20';
    s.spec.clusterIPs = ['10.96.0.20'];
  });
  const errs = validateServiceUpdate(changed, old);
  assert.deepEqual(errs.map(renderFieldError), ['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.20"}: may not change once set']);
  assert.equal(
    errors.invalid('Service', 'web', errs).message,
    'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.20"}: may not change once set',
  );
});

test('validateServiceUpdate allows a change of cluster IP through ExternalName, and a headless Service to stay headless', () => {
  const toExternal = svc((s) => (s.spec = { type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' }));
  assert.deepEqual(validateServiceUpdate(toExternal, svc()).map(renderFieldError), []);
  const headless = svc((s) => {
    s.spec.clusterIP = 'None';
    s.spec.clusterIPs = ['None'];
  });
  assert.deepEqual(validateServiceUpdate(headless, headless).map(renderFieldError), []);
});

test('validateServiceUpdate refuses unsetting the cluster IP and changing ipFamilies or the loadBalancerClass', () => {
  const unset = svc((s) => {
    delete s.spec.clusterIP;
    delete s.spec.clusterIPs;
  });
  assert.deepEqual(validateServiceUpdate(unset, svc()).map(renderFieldError), [
    'spec.clusterIPs[0]: Invalid value: []string(nil): primary clusterIP can not be unset',
  ]);
  const lb = (cls: string) =>
    nodePort((s) => {
      s.spec.type = 'LoadBalancer';
      s.spec.allocateLoadBalancerNodePorts = true;
      s.spec.loadBalancerClass = cls;
    });
  assert.deepEqual(validateServiceUpdate(lb('example.com/b'), lb('example.com/a')).map(renderFieldError), [
    'spec.loadBalancerClass: Invalid value: "example.com/b": may not change once set',
  ]);
});

test('validateServiceStatusUpdate refuses ingress on a ClusterIP Service and an ingress IP without ipMode', () => {
  const withIngress = (s: Obj, ingress: Obj[]) => {
    s.status = { loadBalancer: { ingress } };
  };
  assert.deepEqual(validateServiceStatusUpdate(svc((s) => withIngress(s, [{ ip: '192.0.2.1', ipMode: 'VIP' }])), svc()).map(renderFieldError), [
    "status.loadBalancer.ingress: Forbidden: may only be used when `spec.type` is 'LoadBalancer'",
  ]);
  const lb = (mutate: (s: Obj) => void) =>
    nodePort((s) => {
      s.spec.type = 'LoadBalancer';
      s.spec.allocateLoadBalancerNodePorts = true;
      mutate(s);
    });
  assert.deepEqual(validateServiceStatusUpdate(lb((s) => withIngress(s, [{ ip: '192.0.2.1' }, { hostname: '192.0.2.2' }])), lb(() => {})).map(renderFieldError), [
    'status.loadBalancer.ingress[0].ipMode: Required value: must be specified when `ip` is set',
    'status.loadBalancer.ingress[1].hostname: Invalid value: "192.0.2.2": must be a DNS name, not an IP address',
  ]);
});
