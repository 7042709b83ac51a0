/** The one error type of the BPF layer: which operation failed and the kernel's errno. */
export class BpfError extends Error {
  override readonly name = 'BpfError';
  constructor(
    readonly op: string,
    readonly errno: number,
    message: string,
  ) {
    super(message);
  }

  /** Wraps whatever the addon (or a system call) threw into a BpfError. */
  static from(op: string, e: unknown): BpfError {
    if (e instanceof BpfError) return e;
    const o = (e ?? {}) as { op?: unknown; errno?: unknown; message?: unknown };
    const errno = typeof o.errno === 'number' ? Math.abs(o.errno) : 0;
    const message = typeof o.message === 'string' ? o.message : String(e);
    return new BpfError(typeof o.op === 'string' ? o.op : op, errno, message);
  }
}

/** Runs a native call, turning its exception into a BpfError. */
export function call<T>(op: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw BpfError.from(op, e);
  }
}

export const EPERM = 1;
export const ENOENT = 2;
export const EACCES = 13;
export const EINVAL = 22;
export const ENOTSUPP = 524;
