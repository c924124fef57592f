/**
 * What every layer's registry of kinds shares (bottlenecks, models, datasets): register once under a unique name
 * and CLI name, list in registration order, and look up by either name with an error that offers the closest one.
 */
import { closestKey } from './closest-key.js';
import { LatentkitError, check } from './errors.js';

export class KindRegistry<K extends { readonly summary: string }> {
  private readonly kinds = new Map<string, K>();

  /**
   * @param what   the layer's word for a kind, in messages: `bottleneck kind`, `model kind`, `dataset`.
   * @param nameOf the key configs use (`softVq`); `cliNameOf` the one the CLI takes (`soft-vq`).
   */
  constructor(
    private readonly what: string,
    private readonly nameOf: (kind: K) => string,
    private readonly cliNameOf: (kind: K) => string = nameOf,
  ) {}

  /** Adds a kind; a taken name or CLI name is refused, so a plugin cannot silently replace another kind. */
  register(kind: K): void {
    const name = this.nameOf(kind);
    check(typeof name === 'string' && name.length > 0, `${this.what} name`, 'a non-empty name', name);
    for (const other of this.kinds.values()) {
      if (this.nameOf(other) === name || this.cliNameOf(other) === this.cliNameOf(kind)) {
        throw new LatentkitError('INVALID_ARGUMENT', `${this.what} "${name}" (${this.cliNameOf(kind)}) is already registered`, { kind: name });
      }
    }
    this.kinds.set(name, kind);
  }

  /** Every kind, in registration order. */
  all(): readonly K[] {
    return [...this.kinds.values()];
  }

  /** The kind with config name `name`, or INVALID_CONFIG at `field` naming the closest one. */
  get(name: unknown, field: string): K {
    const kind = typeof name === 'string' ? this.kinds.get(name) : undefined;
    if (!kind) throw this.unknown(name, field, [...this.kinds.keys()]);
    return kind;
  }

  /** The kind the CLI calls `name`, or INVALID_CONFIG at `flag` naming the closest one. */
  byCliName(name: string, flag: string): K {
    const kind = this.all().find((k) => this.cliNameOf(k) === name);
    if (!kind) throw this.unknown(name, flag, this.all().map(this.cliNameOf));
    return kind;
  }

  private unknown(name: unknown, field: string, names: readonly string[]): LatentkitError {
    const near = typeof name === 'string' ? closestKey(name, names) : undefined;
    const got = JSON.stringify(name) ?? String(name);
    return new LatentkitError(
      'INVALID_CONFIG',
      `${field}: expected one of ${names.map((n) => `"${n}"`).join(', ')}, got ${got}${near ? `; did you mean "${near}"?` : ''}`,
      {
        path: field,
      },
    );
  }
}
