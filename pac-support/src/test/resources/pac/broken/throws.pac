function FindProxyForURL(url, host) {
    if (dnsDomainIs(host, ".example.com")) {
        throw "no rule for " + host;
    }
    return undefinedHelper(host);
}
