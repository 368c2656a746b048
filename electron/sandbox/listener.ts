import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';

/**
 * Owns the listening socket so the outage fault can make the port refuse connections (close it, cut every open
 * connection) and later listen again on the very same port.
 */
export class Listener {
  private boundPort = 0;
  private listening = false;

  constructor(
    private readonly server: HttpServer | HttpsServer,
    private readonly host: string,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  /** Listens on `port` (0 = any free port the first time; afterwards the port already bound). */
  async listen(port: number): Promise<number> {
    if (this.listening) return this.boundPort;
    const wanted = this.boundPort !== 0 ? this.boundPort : port;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(wanted, this.host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('sandbox server has no TCP address');
    this.boundPort = address.port;
    this.listening = true;
    return this.boundPort;
  }

  /** Listens again on the port it had before stop(). */
  async resume(): Promise<void> {
    await this.listen(this.boundPort);
  }

  /** Stops accepting connections and drops every open one: clients now see connection refused / reset. */
  async stop(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
