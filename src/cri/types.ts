/**
 * The CRI v1 subset berth uses, as plain TypeScript shapes (camelCase of the
 * proto field names). Times are milliseconds since the epoch (0 = unset);
 * CRI's int64 nanoseconds are converted at the wire boundary.
 */

export type Labels = Record<string, string>;

export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt: number;
}

export interface PortMapping {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  containerPort: number;
  hostPort?: number;
  hostIp?: string;
}

export interface NamespaceOptions {
  network?: 'POD' | 'CONTAINER' | 'NODE';
  pid?: 'POD' | 'CONTAINER' | 'NODE';
  ipc?: 'POD' | 'CONTAINER' | 'NODE';
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  /** Absolute directory; container `logPath`s are relative to it. */
  logDirectory?: string;
  dnsConfig?: { servers?: string[]; searches?: string[]; options?: string[] };
  portMappings?: PortMapping[];
  labels?: Labels;
  annotations?: Labels;
  linux?: {
    cgroupParent?: string;
    sysctls?: Record<string, string>;
    securityContext?: {
      namespaceOptions?: NamespaceOptions;
      privileged?: boolean;
      runAsUser?: number;
      runAsGroup?: number;
      supplementalGroups?: number[];
      readonlyRootfs?: boolean;
    };
  };
}

export type SandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: SandboxState;
  createdAt: number;
  labels: Labels;
  annotations: Labels;
}

export interface PodSandboxStatus extends PodSandbox {
  /** Primary pod IP, '' when the sandbox has no network. */
  ip: string;
  additionalIps: string[];
}

export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
  propagation?: 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';
}

export interface Capability {
  addCapabilities?: string[];
  dropCapabilities?: string[];
}

export interface LinuxContainerResources {
  cpuPeriod?: number;
  cpuQuota?: number;
  cpuShares?: number;
  memoryLimitInBytes?: number;
  oomScoreAdj?: number;
  cpusetCpus?: string;
}

export interface LinuxContainerSecurityContext {
  capabilities?: Capability;
  privileged?: boolean;
  namespaceOptions?: NamespaceOptions;
  runAsUser?: number;
  runAsGroup?: number;
  runAsUsername?: string;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  noNewPrivs?: boolean;
  maskedPaths?: string[];
  readonlyPaths?: string[];
  /** Unset means the runtime's choice; the kubelet always sets it. */
  seccomp?: SecurityProfile;
}

export interface SecurityProfile {
  profileType: 'RuntimeDefault' | 'Unconfined' | 'Localhost';
  /** Absolute path of the profile, for Localhost. */
  localhostRef?: string;
}

export interface ContainerConfig {
  metadata: { name: string; attempt: number };
  image: { image: string };
  command?: string[];
  args?: string[];
  workingDir?: string;
  envs?: { key: string; value: string }[];
  mounts?: Mount[];
  labels?: Labels;
  annotations?: Labels;
  /** Relative to the sandbox's `logDirectory`. */
  logPath?: string;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  linux?: {
    resources?: LinuxContainerResources;
    securityContext?: LinuxContainerSecurityContext;
  };
}

export type ContainerStateName = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface Container {
  id: string;
  podSandboxId: string;
  metadata: { name: string; attempt: number };
  image: string;
  imageRef: string;
  state: ContainerStateName;
  createdAt: number;
  labels: Labels;
  annotations: Labels;
}

export interface ContainerStatus {
  id: string;
  metadata: { name: string; attempt: number };
  state: ContainerStateName;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  image: string;
  imageRef: string;
  /** Runtime reason: `Completed`, `Error`, `OOMKilled`, `StartError`, … */
  reason: string;
  message: string;
  labels: Labels;
  annotations: Labels;
  logPath: string;
}

export interface ContainerFilter {
  id?: string;
  podSandboxId?: string;
  state?: ContainerStateName;
  labelSelector?: Labels;
}

export interface PodSandboxFilter {
  id?: string;
  state?: SandboxState;
  labelSelector?: Labels;
}

export interface ExecSyncResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

export interface StreamRequest {
  containerId: string;
  cmd?: string[];
  tty?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

export interface Image {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  /** The image's user as a uid, when it is numeric (or empty: root). */
  uid?: number;
  /** The image's user as a name, when it is not numeric. */
  username?: string;
}

export interface AuthConfig {
  username?: string;
  password?: string;
  auth?: string;
  serverAddress?: string;
  identityToken?: string;
  registryToken?: string;
}

export interface VersionInfo {
  version: string;
  runtimeName: string;
  runtimeVersion: string;
  runtimeApiVersion: string;
}

/** CRI RuntimeService, the calls berth makes. Errors are `CriError`. */
export interface RuntimeService {
  version(): Promise<VersionInfo>;
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  stopPodSandbox(podSandboxId: string): Promise<void>;
  removePodSandbox(podSandboxId: string): Promise<void>;
  podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus>;
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]>;
  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  /** Signals, then SIGKILLs after `timeoutSeconds`; resolves once the container has exited. */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  listContainers(filter?: ContainerFilter): Promise<Container[]>;
  containerStatus(containerId: string): Promise<ContainerStatus>;
  execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResult>;
  /** Returns the streaming server URL for the kubelet SPDY remotecommand protocol. */
  exec(req: StreamRequest): Promise<string>;
  attach(req: StreamRequest): Promise<string>;
  portForward(podSandboxId: string, ports: number[]): Promise<string>;
  reopenContainerLog(containerId: string): Promise<void>;
}

/** CRI ImageService, the calls berth makes. */
export interface ImageService {
  listImages(): Promise<Image[]>;
  /** null when the image is not present. */
  imageStatus(image: string): Promise<Image | null>;
  /** Returns the image reference (id) of the pulled image. */
  pullImage(image: string, auth?: AuthConfig, sandboxConfig?: PodSandboxConfig): Promise<string>;
  removeImage(image: string): Promise<void>;
}

/**
 * A change of a container's task seen on containerd's event stream. `id` is the
 * CRI container (or sandbox) id. Exec processes are filtered out.
 */
export interface ContainerEvent {
  type: 'created' | 'started' | 'exited' | 'oom' | 'deleted';
  id: string;
  /** Set for `exited`. */
  exitStatus?: number;
  at: number;
}

/** A subscription to container events; reconnects until `signal` aborts. */
export interface ContainerEventSource {
  subscribe(onEvent: (e: ContainerEvent) => void, signal: AbortSignal): void;
}
