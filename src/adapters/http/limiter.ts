/** Release gives back a slot taken from a Semaphore; calling it twice is harmless. */
export type Release = () => void;

/** Semaphore lets at most `size` holders run at once; the others wait in arrival order. */
export class Semaphore {
  readonly #size: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#size = Math.max(1, Math.floor(size));
  }

  /** idle is true when nobody holds or waits for a slot. */
  get idle(): boolean {
    return this.#active === 0 && this.#waiting.length === 0;
  }

  /** acquire resolves with a Release once a slot is free. */
  async acquire(): Promise<Release> {
    if (this.#active < this.#size) {
      this.#active += 1;
    } else {
      // The releasing holder hands its slot over directly, so #active stays the same.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active -= 1;
    };
  }
}

/**
 * HostLimiter combines a global limit with a per-host one. The host slot is taken first, so
 * requests queued behind a busy host do not sit on global slots other hosts could use.
 */
export class HostLimiter {
  readonly #global: Semaphore;
  readonly #perHost: number;
  readonly #hosts = new Map<string, Semaphore>();

  constructor(global: number, perHost: number) {
    this.#global = new Semaphore(global);
    this.#perHost = perHost;
  }

  /** acquire resolves once both a slot for `host` and a global slot are held. */
  async acquire(host: string): Promise<Release> {
    const key = host.toLowerCase();
    let hostSemaphore = this.#hosts.get(key);
    if (hostSemaphore === undefined) {
      hostSemaphore = new Semaphore(this.#perHost);
      this.#hosts.set(key, hostSemaphore);
    }
    const semaphore = hostSemaphore;
    const releaseHost = await semaphore.acquire();
    const releaseGlobal = await this.#global.acquire();
    return () => {
      releaseGlobal();
      releaseHost();
      if (semaphore.idle && this.#hosts.get(key) === semaphore) this.#hosts.delete(key);
    };
  }
}
