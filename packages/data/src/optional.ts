/**
 * Heavy readers (sharp for images, apache-arrow, hyparquet) are optional peer dependencies: installing
 * @latentkit/data never pulls them in, and the first use of the format they serve loads them or says what to install.
 */
import { LatentkitError } from '@latentkit/core/base';

function isNotFound(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** Runs `load` (a dynamic import); a missing package becomes `install <name> to <purpose>`. */
export async function loadOptional<T>(name: string, purpose: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if (isNotFound(e)) {
      throw new LatentkitError(
        'UNSUPPORTED',
        `install ${name} to ${purpose} (it is an optional peer dependency of @latentkit/data: npm install ${name})`,
        { package: name },
        { cause: e },
      );
    }
    throw new LatentkitError('UNSUPPORTED', `${name} is installed but failed to load: ${(e as Error).message.split('\n')[0]}`, { package: name }, { cause: e });
  }
}
