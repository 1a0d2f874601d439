function FindProxyForURL(url, host) { if (host == "never") return "DIRECT"; }
