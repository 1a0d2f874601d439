function FindProxyForURL(url, host) {
    if (host == "x" {
        return "DIRECT";
    }
}
