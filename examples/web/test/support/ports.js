// A port on 127.0.0.1 that was free a moment ago, for servers that cannot
// listen on port 0 and report the port they got (PostgreSQL), or whose
// port must be known before they start (the site, whose origin the gateway
// allows).

import net from "node:net";

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
