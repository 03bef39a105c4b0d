/**
 * main — wires berth's parts into one node and runs it. The only file that
 * knows every folder.
 *
 * Start order (each part gets `start(signal)`; stop runs in reverse):
 *   credentials → store + registry → localnet firewall (before any pod) →
 *   API server (answers at once; /readyz waits for containerd) ∥
 *   containerd + seed images → CRI client → service network (lease, bridge,
 *   dataplane, cluster DNS; network/) → controller manager (scheduler,
 *   namespace, event-ttl, endpoints, endpointslice, cluster services and the
 *   network's feeds) → kubelet →
 *   kubeconfig written once /readyz is ok.
 *
 * State: everything under the data directory (0700): state.db (the store),
 * pki/ and token, containerd/ and cni/ (containerd's), pods/ (volumes),
 * logs/pods/ (container logs), images/ (seed archives), kubeconfig (0600),
 * berth.log, berth.pid (while serving). Outside it, while serving: the
 * node's lease on the localnet firewall in /run/berth/localnet-firewall/ and,
 * for the node that serves Services, /run/berth/service-network.lease, its
 * iptables chains (BERTH-*) and cluster DNS on the bridge address.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { request as httpsRequest } from 'node:https';
import type { Pod } from './api/api.ts';
import { ApiServer } from './apiserver/apiserver.ts';
import { streamingUpgrades } from './apiserver/streaming/streaming.ts';
import { inProcessClient } from './client/client.ts';
import { ControllerManager, controllers } from './controllers/controllers.ts';
import { DEFAULT_BRIDGE, DEFAULT_POD_CIDR, detectIptables, gatewayOf } from './containerd/cni-config.ts';
import { Containerd, checkPrerequisites } from './containerd/containerd.ts';
import { holdLocalnetFirewall, machineLocalnetFirewall, releaseLocalnetFirewall } from './containerd/localnet-firewall-holders.ts';
import { defaultSearchPath } from './containerd/prerequisites.ts';
import { createCriClient, type CriClient } from './cri/cri.ts';
import { RbacAuthorizer, rbacWriteGuard, reconcileBootstrapPolicy, startRbacInformers } from './auth/rbac/rbac.ts';
import { systemClock } from './clock/clock.ts';
import { Kubelet } from './kubelet/kubelet.ts';
import { kubeconfigYaml, loadOrCreateCredentials } from './node-credentials.ts';
import { startServiceNetwork, upstreamsFromEnv } from './network/network.ts';
import { NODE_PID_FILE, projectRoot } from './paths.ts';
import { Registry } from './registry/registry.ts';
import { defaultIssuer, loadOrCreateSigningKey, registryBoundObjects, serviceAccountTokenAuthenticator, tokenIssuer } from './auth/serviceaccount/serviceaccount.ts';
import { apiAudiences } from './apiserver/auth.ts';
import { Store } from './store/store.ts';

export interface NodeOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  nodeName?: string;
  podCidr?: string;
  /** One line per start-up step. */
  progress?: (step: string, elapsedMs: number) => void;
  /** Diagnostics; they also go to `<dataDir>/berth.log`. */
  log?: (msg: string) => void;
}

export class NodeStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NodeStartError';
  }
}

/** The node's name: the host name, made a valid DNS-1123 subdomain. */
export function defaultNodeName(): string {
  const n = hostname().toLowerCase().replace(/[^a-z0-9.-]/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return n || 'berth';
}

export class BerthNode {
  readonly opts: NodeOptions;
  #stack: (() => Promise<void> | void)[] = [];
  #api: ApiServer | undefined;
  #kubeconfigPath: string;
  /** Settles when the start in progress (if any) has ended, however it ended. */
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;

  constructor(opts: NodeOptions) {
    this.opts = { ...opts, dataDir: resolve(opts.dataDir) };
    this.#kubeconfigPath = join(this.opts.dataDir, 'kubeconfig');
  }

  get kubeconfigPath(): string {
    return this.#kubeconfigPath;
  }

  get port(): number {
    return this.#api?.port ?? 0;
  }

  #log = (msg: string) => {
    try {
      appendFileSync(join(this.opts.dataDir, 'berth.log'), `${new Date().toISOString()} ${msg}\n`);
    } catch {
      // The log is best effort.
    }
    this.opts.log?.(msg);
  };

  /**
   * Starts every part in order and writes the kubeconfig once /readyz is ok.
   * Rejects when a part fails to start or `signal` aborts first.
   */
  start(signal: AbortSignal): Promise<void> {
    const started = Promise.withResolvers<void>();
    this.#starting = started.promise;
    const run = this.#start(signal);
    run.then(started.resolve, started.resolve);
    return run;
  }

  async #start(signal: AbortSignal): Promise<void> {
    const t0 = performance.now();
    const step = (name: string) => this.opts.progress?.(name, Math.round(performance.now() - t0));
    const { dataDir } = this.opts;

    const missing = checkPrerequisites();
    if (missing.length) {
      throw new NodeStartError(`berth cannot start, prerequisites are missing:\n${missing.map((m) => `  - ${m.message}`).join('\n')}`);
    }
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700);
    // `berth down` finds the serving process here; removed again by stop().
    const pidFile = join(dataDir, NODE_PID_FILE);
    writeFileSync(pidFile, `${process.pid}\n`);
    this.#stack.push(() => {
      if (readFileSync(pidFile, 'utf8').trim() === String(process.pid)) rmSync(pidFile, { force: true });
    });
    const podCidr = this.opts.podCidr ?? DEFAULT_POD_CIDR;
    const portmap = this.#guardLocalnet(step);
    const containerd = new Containerd({ dataDir, podCidr, portmap, log: this.#log });
    // containerd boots (~150 ms, in its own process) while the store opens,
    // RBAC syncs and the API server starts: nothing before the node agent needs it.
    this.#stack.push(() => containerd.stop());
    const containerdStarting = containerd.start(signal);
    containerdStarting.catch(() => {});

    const creds = loadOrCreateCredentials(dataDir);
    step('credentials ready');

    const store = new Store({
      file: join(dataDir, 'state.db'),
      stampRevision: (v, rev) => {
        v.metadata ??= {};
        v.metadata.resourceVersion = String(rev);
      },
    });
    this.#stack.push(() => store.stop());
    // The store is stopped by the stack, after everything that writes to
    // it, never by the signal: a sync still running must not find the
    // database closed.
    store.start();
    const registry = new Registry(store, { serviceAccountAdmission: true });
    registry.bootstrap();
    // ServiceAccount tokens: signed with <data-dir>/pki/sa.key, issued by TokenRequest, accepted by the API.
    const signingKey = loadOrCreateSigningKey(dataDir);
    const boundObjects = registryBoundObjects(registry);
    const serviceAccountTokens = tokenIssuer({ key: signingKey, issuer: defaultIssuer, audiences: [...apiAudiences], objects: boundObjects });
    const serviceAccountAuthenticator = serviceAccountTokenAuthenticator({
      publicKey: signingKey.publicKey,
      issuer: defaultIssuer,
      audiences: [...apiAudiences],
      objects: boundObjects,
    });
    // kube-apiserver's rbac/bootstrap-roles hook: the default ClusterRoles and bindings, reconciled at every start.
    reconcileBootstrapPolicy(inProcessClient(registry));
    step('store opened');

    // Set once the node agent runs; until then the streaming subresources answer 503.
    let kubelet: Kubelet | undefined;
    // RBAC reads Roles, ClusterRoles and bindings from its own informers, synced before the API serves.
    const rbac = await startRbacInformers({ client: inProcessClient(registry), clock: systemClock, signal, log: this.#log });
    this.#stack.push(() => rbac.stop());
    const rbacAuthorizer = new RbacAuthorizer(rbac.source);
    const api = new ApiServer({
      registry,
      authorizer: rbacAuthorizer,
      // Escalation is judged by RBAC alone, as kube-apiserver's rule resolver does (system:masters bypasses it).
      rbacWriteGuard: rbacWriteGuard(rbacAuthorizer, rbac.source),
      token: creds.token,
      tokenAuthenticators: [serviceAccountAuthenticator],
      serviceAccountTokens,
      tls: { certPem: creds.certPem, keyPem: creds.keyPem },
      port: this.opts.port,
      readyChecks: { containerd: () => containerd.ready, kubelet: () => kubelet !== undefined },
      node: () => kubelet,
      upgrades: streamingUpgrades({
        getPod: (ns, name) => registry.pods.get(ns, name) as Pod,
        node: () => kubelet,
        log: this.#log,
      }),
      log: this.#log,
    });
    this.#api = api;
    try {
      await api.start(signal);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EADDRINUSE') throw new NodeStartError(`port ${this.opts.port} is already in use on 127.0.0.1; choose another with --port`);
      throw err;
    }
    this.#stack.push(() => api.stop());
    step(`API server listening on https://127.0.0.1:${api.port}`);

    await containerdStarting;
    step('containerd ready');
    // The seed images are imported while the service network and the
    // controllers start; only the node agent needs them, and waits for them.
    const imagesImported = (async () => {
      const imageDirs = [join(dataDir, 'images'), join(projectRoot, 'images')].filter((d) => existsSync(d));
      for (const dir of imageDirs) {
        step(`importing image archives from ${dir}`);
        for (const r of await containerd.importImages(dir, signal)) {
          if (r.imported) step(`imported ${r.images.join(', ')} from ${r.archive} in ${Math.round(r.ms)} ms`);
        }
      }
      step('seed images imported');
    })();
    imagesImported.catch(() => {});

    const cri: CriClient = createCriClient(containerd.socketPath);
    this.#stack.push(() => cri.close());
    const client = inProcessClient(registry, undefined, { serviceAccountTokens });
    const nodeName = this.opts.nodeName ?? defaultNodeName();
    const gateway = gatewayOf(podCidr);
    const network = await startServiceNetwork({
      dataDir,
      nodeName,
      bridge: DEFAULT_BRIDGE,
      gatewayCidr: `${gateway}/${podCidr.split('/')[1]}`,
      podCidr,
      apiPort: api.port,
      leaseWaitMs: Number(process.env.BERTH_SERVICE_NETWORK_WAIT_MS ?? 0),
      upstreams: upstreamsFromEnv(process.env.BERTH_DNS_UPSTREAMS),
      listenAlso: (host, allowRemote) => api.listenAlso(host, allowRemote),
      log: this.#log,
      progress: step,
      signal,
    });
    this.#stack.push(() => network.stop());
    const controllerManager = new ControllerManager({ client, definitions: [...controllers, ...network.controllers], nodeName, dataDir, log: this.#log });
    this.#stack.push(() => controllerManager.stop());
    await controllerManager.start(signal);
    step('controllers running');
    await imagesImported;
    const k = new Kubelet({
      client,
      runtime: cri.runtime,
      images: cri.images,
      events: cri.events,
      nodeName,
      // The bridge's address: the node as its pods see it.
      hostIP: gateway,
      podCIDR: podCidr,
      dataDir,
      clusterDns: network.clusterDns,
      services: () => client.resource('services').list(undefined).items,
      log: this.#log,
    });
    await k.start(signal);
    this.#stack.push(() => k.stop());
    // Container events sent while containerd was down are lost: relist as soon as it is back.
    this.#stack.push(containerd.onReady(() => k.runtimeReady()));
    this.#stack.push(containerd.onNotReady(() => k.runtimeNotReady()));
    kubelet = k;
    step('node agent running');

    await waitForReadyz(api.port, creds, signal);
    step('/readyz ok');
    writeFileSync(this.#kubeconfigPath, kubeconfigYaml(`https://127.0.0.1:${api.port}`, creds.caPem, creds.token), { mode: 0o600 });
    chmodSync(this.#kubeconfigPath, 0o600);
    step('kubeconfig written');
  }

  /**
   * Holds the localnet firewall (containerd/localnet-firewall.ts) for this
   * node, before containerd starts and so before any pod: CNI portmap turns
   * route_localnet on for hostPort, which without the firewall lets pods reach
   * the node's 127.0.0.1. Returns whether portmap (hostPort) may be on: not
   * without iptables (as before), and not when the firewall cannot be
   * installed. Stopping releases it (removed when no node or pod is left).
   */
  #guardLocalnet(step: (name: string) => void): boolean {
    if (!detectIptables(defaultSearchPath())) return false;
    const holders = machineLocalnetFirewall(DEFAULT_BRIDGE);
    if ('missing' in holders) {
      step(`hostPort is off: ${holders.missing} not found; install it with "apt-get install iptables"`);
      return false;
    }
    try {
      holdLocalnetFirewall(holders, process.pid, this.opts.dataDir);
    } catch (err) {
      step(`hostPort is off: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
    this.#stack.push(() => {
      if (releaseLocalnetFirewall(holders, { pid: process.pid, dataDir: this.opts.dataDir }).removed) this.#log('localnet firewall removed: no berth node and no pod left on the machine');
    });
    step('localnet firewall installed');
    return true;
  }

  /**
   * Stops every part in reverse start order; containers keep running. A start
   * still in progress ends first (abort its signal to make that quick), so
   * that nothing it starts afterwards outlives the stop. Every call returns
   * the same promise.
   */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.#starting;
      for (const stop of this.#stack.reverse()) {
        try {
          await stop();
        } catch (err) {
          this.#log(`stop failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      this.#stack = [];
    })();
    return this.#stopping;
  }
}

/** Asks the API server's /readyz over HTTPS, as a client would, until it answers ok. */
async function waitForReadyz(port: number, creds: { caPem: string; token: string }, signal: AbortSignal): Promise<void> {
  const ask = () =>
    new Promise<number>((resolvePromise) => {
      const req = httpsRequest(
        { host: '127.0.0.1', port, path: '/readyz', ca: creds.caPem, headers: { Authorization: `Bearer ${creds.token}` }, agent: false },
        (res) => {
          res.resume();
          res.on('end', () => resolvePromise(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolvePromise(0));
      req.end();
    });
  for (let i = 0; !signal.aborted; i++) {
    if ((await ask()) === 200) return;
    if (i > 300) throw new NodeStartError('the API server never reported ready on /readyz');
    await new Promise((r) => setTimeout(r, 20));
  }
  signal.throwIfAborted();
}
