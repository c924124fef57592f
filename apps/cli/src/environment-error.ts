/**
 * What the machine refused, as one line a user can act on: a full disk, a read-only or forbidden folder, a missing
 * parent folder. Node reports these as system errors (`code`, `syscall`, `path`) that would otherwise surface as
 * "unexpected error: ENOSPC … write" with no path, which reads like a bug in latentkit.
 */
interface SystemError {
  readonly code: string;
  readonly syscall?: string;
  readonly path?: string;
  readonly dest?: string;
}

const WHAT: Record<string, string> = {
  ENOSPC: 'the disk is full; free some space or write somewhere else (--run, --out)',
  EDQUOT: 'the disk quota is used up; free some space or write somewhere else (--run, --out)',
  EROFS: 'the file system is read-only; choose a writable folder (--run, --out)',
  EACCES: 'permission denied; check the permissions of the file and its folder, or choose another one',
  EPERM: 'the operation is not permitted here; check the permissions, or choose another folder',
  EMFILE: 'too many open files; raise the limit (ulimit -n) or run fewer commands at once',
  ENFILE: 'too many open files on this machine; close some programs and try again',
};

function isSystemError(e: unknown): e is SystemError {
  return typeof e === 'object' && e !== null && typeof (e as SystemError).code === 'string' && /^E[A-Z]+$/.test((e as SystemError).code);
}

/** The user-facing line for a system error the environment caused, or undefined for anything else. */
export function environmentMessage(e: unknown): string | undefined {
  if (!isSystemError(e)) return undefined;
  const target = e.dest ?? e.path;
  const where = target === undefined ? '' : ` ${target}`;
  const verb = e.syscall === undefined ? 'access' : e.syscall;
  const what = WHAT[e.code];
  if (what !== undefined) return `cannot ${verb}${where}: ${what} (${e.code})`;
  // A folder made or renamed into where a folder on the way is gone (deleted under a running command). A missing
  // file that was to be read is not this: the readers name it themselves (exit 3).
  if (e.code === 'ENOENT' && (e.syscall === 'mkdir' || e.syscall === 'rename'))
    return `cannot ${verb}${where}: a folder on the way does not exist (ENOENT); create it or choose another path`;
  return undefined;
}
