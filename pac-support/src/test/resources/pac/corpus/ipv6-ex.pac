// Microsoft's IPv6-aware PAC: FindProxyForURLEx wins over FindProxyForURL when both exist.
function FindProxyForURL(url, host) {
    return "PROXY legacy.corp.example.com:8080";
}

function FindProxyForURLEx(url, host) {
    if (getClientVersion() != "1.0") {
        return "PROXY unknown-client.corp.example.com:8080";
    }
    if (!isResolvableEx(host)) {
        return "PROXY resolver.corp.example.com:8080";
    }
    var addrs = dnsResolveEx(host).split(";");
    for (var i = 0; i < addrs.length; i++) {
        if (isInNetEx(addrs[i], "2001:db8:beef::/48")) {
            return "PROXY [2001:db8::3128]:3128; DIRECT";
        }
    }
    // isInNetEx takes an address, not a name (Chrome's rule): the name was resolved above
    for (var j = 0; j < addrs.length; j++) {
        if (isInNetEx(addrs[j], "198.51.100.0/24")) {
            return "PROXY cdn-proxy.corp.example.com:8080";
        }
    }
    var mine = myIpAddressEx();
    if (mine.indexOf(":") >= 0 && isInNetEx(mine.split(";")[0], "fd00::/8")) {
        return "DIRECT";
    }
    return "PROXY v4.corp.example.com:8080; " + sortIpAddressList("10.0.0.2;2001:db8::1;10.0.0.1");
}
