function FindProxyForURL(url, host) {
    java.lang.System.exit(3);
    return "DIRECT";
}
