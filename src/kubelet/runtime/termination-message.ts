/**
 * The termination message of an exited container, as the kubelet's
 * `convertToKubeContainerStatus` derives it (kuberuntime_container.go,
 * `getTerminationMessage` and `readLastStringFromContainerLogs`):
 *
 *   - the last 4096 bytes of the file behind terminationMessagePath
 *     (`tail.ReadAtMost`: a longer file keeps its end, not its start);
 *   - with `FallbackToLogsOnError`, when that file is missing or empty and
 *     the container failed (exit code ≠ 0, reason not ContainerCannotRun):
 *     the text of the log's last 80 lines, at most its last 2048 bytes;
 *   - appended to the runtime's own message after `: ` when there is one.
 *
 * Both files are written by the pod, so both are read from their end with
 * bounded reads: nothing here costs more memory for a bigger file.
 */
import type { ContainerStatus as CriContainerStatus } from '../../cri/types.ts';
import { lastLogText } from '../logs/last-log-text.ts';
import { readAtMostSync } from '../logs/tail-read.ts';
import { goPathError } from '../volumes/go-path-error.ts';
import { Annotation } from './labels.ts';

/** `kubecontainer.MaxContainerTerminationMessageLength` (pkg/kubelet/container/runtime.go). */
export const maxTerminationMessageBytes = 1024 * 4;
/** `kubecontainer.MaxContainerTerminationMessageLogLength`. */
export const maxTerminationMessageLogBytes = 1024 * 2;
/** `kubecontainer.MaxContainerTerminationMessageLogLines`. */
export const maxTerminationMessageLogLines = 80;

/**
 * `getTerminationMessage`: the file's message, and whether the log must be
 * read instead. A file that cannot be read for another reason than not
 * existing gives the kubelet's error text as the message.
 */
async function fromFile(hostPath: string | undefined, fallbackToLogs: boolean): Promise<{ message: string; checkLogs: boolean }> {
  if (!hostPath) return { message: '', checkLogs: fallbackToLogs };
  try {
    // A regular file berth created and bind-mounts (the pod can write it, not replace it): read at once.
    const { data } = readAtMostSync(hostPath, maxTerminationMessageBytes);
    return { message: data.toString('utf8'), checkLogs: fallbackToLogs && data.length === 0 };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { message: '', checkLogs: fallbackToLogs };
    return { message: `Error on reading termination log ${hostPath}: ${goPathError(err)}`, checkLogs: false };
  }
}

/** The message of an exited container's status (`s.message` enriched with the termination message). */
export async function exitedContainerMessage(s: CriContainerStatus): Promise<string> {
  const fallbackToLogs =
    s.annotations[Annotation.terminationMessagePolicy] === 'FallbackToLogsOnError' && s.exitCode !== 0 && s.reason !== 'ContainerCannotRun';
  let { message, checkLogs } = await fromFile(s.annotations[Annotation.terminationMessageHostPath], fallbackToLogs);
  if (checkLogs) {
    try {
      message = await lastLogText(s.logPath, maxTerminationMessageLogLines, maxTerminationMessageLogBytes);
    } catch (err) {
      message = `Error on reading termination message from logs: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  if (!message) return s.message;
  return s.message ? `${s.message}: ${message}` : message;
}
