// SPDX-License-Identifier: MIT
// A stand-in for an app that receives Acme Parcels webhooks, verifying
// them with Node's crypto: an implementation independent of the plugin.
// Listens on 127.0.0.1 (PORT, default any free port) and prints the
// port. Responds 200 to a valid delivery and 401 to any other, and exits
// on SIGTERM or after 120 s.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

const secret = process.env.ACME_WEBHOOK_SECRET;
const toleranceSeconds = 300;

function verify(headers, body) {
  const timestamp = headers["acme-timestamp"];
  const signature = headers["acme-signature"];
  if (!timestamp || !signature) return "missing Acme-Timestamp or Acme-Signature";
  if (!/^-?\d+$/.test(timestamp)) return "malformed Acme-Timestamp";
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > toleranceSeconds)
    return "timestamp outside the tolerance";
  const expected = createHmac("sha256", secret)
    .update(Buffer.concat([Buffer.from(`v1:${timestamp}:`), body]))
    .digest();
  for (const entry of signature.split(" ")) {
    if (!entry.startsWith("v1=")) continue;
    const given = Buffer.from(entry.slice(3), "hex");
    if (given.length === expected.length && timingSafeEqual(given, expected))
      return null;
  }
  return "no matching v1 signature";
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    const problem = verify(request.headers, Buffer.concat(chunks));
    response.writeHead(problem ? 401 : 200, { "Content-Type": "application/json" });
    response.end(JSON.stringify(problem ? { error: problem } : { received: true }));
  });
});

server.listen(Number(process.env.PORT || 0), "127.0.0.1", () => {
  console.log(server.address().port);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
setTimeout(() => process.exit(0), 120000).unref();
