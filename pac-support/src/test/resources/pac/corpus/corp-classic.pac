// Typical corporate PAC: plain names and internal domains DIRECT, private ranges DIRECT
// (resolved), a list of SaaS hosts through the Internet breakout, the rest to two proxies
// with failover and DIRECT as a last resort.
var internalDomains = [".corp.example.com", ".corp.example.local"];
var saasHosts = ["*.salesforce.com", "*.office365.com", "login.microsoftonline.com", "*.sharepoint.com"];

function FindProxyForURL(url, host) {
    host = host.toLowerCase();
    if (isPlainHostName(host) || host == "localhost" || shExpMatch(host, "127.*")) {
        return "DIRECT";
    }
    for (var i = 0; i < internalDomains.length; i++) {
        if (dnsDomainIs(host, internalDomains[i])) {
            return "DIRECT";
        }
    }
    for (var j = 0; j < saasHosts.length; j++) {
        if (shExpMatch(host, saasHosts[j])) {
            return "PROXY breakout.corp.example.com:3128";
        }
    }
    var ip = dnsResolve(host);
    if (ip && (isInNet(ip, "10.0.0.0", "255.0.0.0") || isInNet(ip, "172.16.0.0", "255.240.0.0")
            || isInNet(ip, "192.168.0.0", "255.255.0.0"))) {
        return "DIRECT";
    }
    return "PROXY proxy1.corp.example.com:8080; PROXY proxy2.corp.example.com:8080; DIRECT";
}
