function FindProxyForURL(url, host) {
    var i = 0;
    while (true) {
        try { i++; } catch (e) { }
    }
}
