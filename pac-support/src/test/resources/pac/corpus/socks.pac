// SOCKS gateways for some partners; the spellings browsers accept.
function FindProxyForURL(url, host) {
    if (dnsDomainIs(host, ".example.biz")) {
        return "SOCKS5 socks.corp.example.com:1080; SOCKS socks-old.corp.example.com; DIRECT";
    }
    if (localHostOrDomainIs(host, "printer.corp.example.com")) {
        return "DIRECT";
    }
    if (dnsDomainLevels(host) > 3) {
        return "SOCKS4 socks4.corp.example.com:1081";
    }
    return "HTTPS secure-proxy.corp.example.com:443; PROXY proxy.corp.example.com";
}
