import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface WebServer {
  readonly server: Server;
  readonly url: string;
  /** Stops accepting, lets requests in flight finish (up to `graceMs`), then closes what is left. */
  close(graceMs?: number): Promise<void>;
}

export async function startWebServer(
  app: Express,
  options: { port: number; host?: string | undefined },
): Promise<WebServer> {
  // Without a host, Node listens on every interface it has (IPv6 where available, else IPv4).
  const server = options.host ? app.listen(options.port, options.host) : app.listen(options.port);
  // Idle keep-alive connections outlive a proxy's (often 60 s), so the proxy, not this server,
  // closes them: otherwise a request can race the close and fail with a reset connection.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;

  let closing: Promise<void> | undefined;
  const close = (graceMs = 10_000) => {
    closing ??= new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      timer.unref();
      server.close((error) => {
        clearTimeout(timer);
        error ? reject(error) : resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };
  return { server, url, close };
}
