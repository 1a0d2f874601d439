function findProxyForUrl(url, host) { return "DIRECT"; }
