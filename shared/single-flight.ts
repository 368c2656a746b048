/**
 * One run at a time for a periodic job: a call while a run is in flight shares that run (a timer tick and a test's
 * tick never overlap, and never queue a second run behind the first); the first call after it settles starts the
 * next. `idle()` waits for the run in flight without its error (the owner logs errors where it runs them), so a
 * composition root can wait for every job before it closes the database.
 */
export class SingleFlight<T> {
  private running: Promise<T> | null = null;

  constructor(private readonly run: () => Promise<T>) {}

  /** The run in flight, or a new one. */
  start(): Promise<T> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Resolves when no run is in flight. */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }
}
