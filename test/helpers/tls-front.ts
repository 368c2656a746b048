import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { SandboxIdentity } from '../../electron/sandbox/certs';

/**
 * HTTPS in front of a plain-HTTP server on this machine, as a store's reverse proxy (nginx, Caddy) puts TLS in
 * front of the hub: TLS is terminated here and the bytes go on unchanged. The certificate is the sandbox identity's
 * TLS server certificate (127.0.0.1 / localhost), so whoever trusts that identity's CA reaches it over real HTTPS.
 */
export interface TlsFront {
  url: string;
  close(): Promise<void>;
}

export async function startTlsFront(targetPort: number, identity: Pick<SandboxIdentity, 'serverCertPem' | 'serverKeyPem'>): Promise<TlsFront> {
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ cert: identity.serverCertPem, key: identity.serverKeyPem }, (client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
