/**
 * kube — how berth's commands reach a Kubernetes API server from outside, as
 * kubectl does: kubeconfig resolution (kubeconfig.ts), the HTTPS client with
 * Status errors and line streams for watches and logs (kube-client.ts), and
 * kind → resource discovery (resource-map.ts). Commands import from here.
 *
 * Does not own: what the commands do with the API (play/, down.ts); the
 * server side (apiserver/). Knows nothing of berth's internals: it works
 * against any API server a kubeconfig names.
 *
 * State: one keep-alive HTTPS agent per client and the set of open
 * streams; close() ends them all. No timers beyond per-request timeouts.
 */
export { KubeApiError, KubeClient, KubeConnectionError, TABLE_ACCEPT, type RequestOptions } from './kube-client.ts';
export { defaultKubeconfigFiles, KubeconfigError, loadKubeTarget, mergeKubeconfig, writeKubeconfigFile, type KubeTarget } from './kubeconfig.ts';
export { ResourceMap, type ResourceInfo } from './resource-map.ts';
