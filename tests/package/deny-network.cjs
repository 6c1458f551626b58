// Preloaded (NODE_OPTIONS=--require) into `osls package` and the bundle smoke
// test: any TCP connection or DNS lookup fails loudly, so the package tests prove
// that packaging and loading a handler need no network and no AWS endpoint.
const net = require('node:net');
const dns = require('node:dns');

const refuse = (what) => {
  throw new Error(`network access during packaging is not allowed: ${what}`);
};
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const options = typeof args[0] === 'object' && args[0] !== null ? args[0] : {};
  // Local IPC (a path, e.g. esbuild's service) is fine; TCP is not.
  if (typeof options.path === 'string' || (typeof args[0] === 'string' && Number.isNaN(Number(args[0])))) return connect.apply(this, args);
  refuse(`connect ${JSON.stringify(options.host ?? args[1] ?? '')}:${options.port ?? args[0]}`);
};
dns.lookup = (host) => refuse(`lookup ${host}`);
dns.promises.lookup = async (host) => refuse(`lookup ${host}`);
