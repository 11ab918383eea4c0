// DNS-rebinding defence: a page on evil.example that rebinds its name to
// 127.0.0.1 still sends `Host: evil.example`. Accept only loopback names, IP
// literals (a literal cannot be rebound), the host we bound and this
// machine's own name.

import { isIP } from 'node:net';

export function hostnameOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 0 ? h.slice(1, end) : h;
  }
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

export function isAllowedHost(hostHeader: string | undefined, boundHost: string, machineName: string): boolean {
  if (!hostHeader) return false;
  const name = hostnameOf(hostHeader).replace(/\.$/, '');
  if (name === '') return false;
  if (isIP(name)) return true;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  const bound = boundHost.toLowerCase();
  if (bound !== '' && !isIP(bound) && name === bound) return true;
  return machineName !== '' && name === machineName.toLowerCase();
}
