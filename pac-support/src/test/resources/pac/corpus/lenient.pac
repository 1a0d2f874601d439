// Answers spelled the loose ways real scripts do.
function FindProxyForURL(url, host) {
    if (host == "a.example") return "proxy   p1.example:8080 ;; PROXY p2.example:8080;DIRECT";
    if (host == "b.example") return "PROXY p1.example:8080, PROXY p2.example:8080";
    if (host == "c.example") return "  Direct  ";
    if (host == "d.example") return "PROXY p1.example:8080; BOGUS x:1; PROXY; PROXY p2.example:99999; SOCKS5 s.example";
    return "banana";
}
