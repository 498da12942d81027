// A free TCP port on the loopback, for a server a test starts (workerd, a WebDriver).
import net from "node:net";

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}
