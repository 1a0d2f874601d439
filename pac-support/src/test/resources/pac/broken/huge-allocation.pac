function FindProxyForURL(url, host) {
    var a = [];
    for (var i = 0; ; i++) {
        a.push("some text that fills the heap " + i);
    }
}
