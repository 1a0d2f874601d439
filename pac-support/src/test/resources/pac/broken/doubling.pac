function FindProxyForURL(url, host) {
    var s = "0123456789abcdef";
    for (var i = 0; i < 40; i++) {
        s = s + s;
    }
    return s.indexOf("z") < 0 ? "DIRECT" : "PROXY p:1";
}
