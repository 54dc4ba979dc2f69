// What the gateway tells the comment service about the reader. The service
// believes these headers only from peers in its rules file's
// client_ip.trusted_proxies, so the gateway's address must be listed there.

export const forwardedForHeader = "x-forwarded-for";
export const readerUserAgentHeader = "x-reader-user-agent";

// Node reports IPv4 peers of a dual-stack socket as ::ffff:a.b.c.d.
function plainAddress(address) {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address ?? "");
  return mapped ? mapped[1] : (address ?? "");
}

// The headers of the upstream call, and nothing else from the browser's
// request. x-forwarded-for gets the peer's address appended, as every proxy
// does: the service reads it from the right, so entries a browser wrote
// further left are never taken for the reader. x-reader-user-agent is the
// browser's User-Agent, replacing any value the browser sent itself.
export function upstreamHeaders(requestHeader, peerAddress) {
  const headers = new Headers();
  const peer = plainAddress(peerAddress);
  const forwarded = requestHeader.get(forwardedForHeader);
  if (peer !== "") {
    headers.set(forwardedForHeader, forwarded ? `${forwarded}, ${peer}` : peer);
  }
  const userAgent = requestHeader.get("user-agent");
  if (userAgent) headers.set(readerUserAgentHeader, userAgent);
  return headers;
}
