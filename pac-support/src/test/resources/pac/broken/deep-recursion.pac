function f(n) { return f(n + 1) + 1; }
function FindProxyForURL(url, host) { return "PROXY p:" + f(0); }
