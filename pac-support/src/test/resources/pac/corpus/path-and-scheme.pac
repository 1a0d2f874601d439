// Routes on the scheme and on the path of plain-HTTP URLs: big downloads to a cache.
function FindProxyForURL(url, host) {
    if (url.substring(0, 6) == "https:") {
        return "PROXY ssl-proxy.corp.example.com:8443";
    }
    if (shExpMatch(url, "http://*/downloads/*") || shExpMatch(url, "*.iso")) {
        return "PROXY cache.corp.example.com:3128; PROXY proxy.corp.example.com:8080";
    }
    if (url.indexOf("?nocache") >= 0) {
        return "PROXY proxy.corp.example.com:8080";
    }
    return "PROXY proxy.corp.example.com:8080; DIRECT";
}
