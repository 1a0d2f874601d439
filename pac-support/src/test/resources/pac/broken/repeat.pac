function FindProxyForURL(url, host) {
    return "x".repeat(2000000000);
}
