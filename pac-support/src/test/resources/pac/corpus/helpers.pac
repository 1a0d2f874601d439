// Calls every helper and returns what each said, so one line checks them all.
function FindProxyForURL(url, host) {
    var r = [];
    r.push(isPlainHostName("intranet"), isPlainHostName("www.example.com"));
    r.push(dnsDomainIs("www.corp.example.com", ".corp.example.com"), dnsDomainIs("www.example.com", ".corp.example.com"));
    r.push(localHostOrDomainIs("www", "www.example.com"), localHostOrDomainIs("www.example.org", "www.example.com"));
    r.push(isResolvable("www.example.com"), isResolvable("nowhere.example"));
    r.push(isInNet("10.1.2.3", "10.0.0.0", "255.0.0.0"), isInNet("wiki.corp.example.com", "10.1.0.0", "255.255.0.0"));
    r.push(dnsResolve("www.example.com"), dnsResolve("nowhere.example"), dnsResolve("v6only.example.org"));
    r.push(convert_addr("10.0.0.1"), myIpAddress(), dnsDomainLevels("a.b.c"));
    r.push(shExpMatch("www.example.com", "*.example.*"), shExpMatch("a.b", "a?b"), shExpMatch("axb", "a.b"));
    r.push(isResolvableEx("v6only.example.org"), dnsResolveEx("dual.example.org"), myIpAddressEx());
    r.push(isInNetEx("2001:db8:beef::1", "2001:db8::/32"), isInNetEx("10.0.0.1", "10.0.0.0/8"), isInNetEx("10.0.0.1", "10.0.0.0"));
    r.push(sortIpAddressList("10.0.0.2;10.0.0.10;::1"), sortIpAddressList("banana"), getClientVersion());
    r.push(weekdayRange("WED"), weekdayRange("MON", "TUE"), weekdayRange("SAT", "MON"), weekdayRange("BAD"));
    r.push(dateRange(25), dateRange("NOV"), dateRange(2026), dateRange(1, "NOV", 30, "NOV"), dateRange("JAN", 2026, "OCT", 2026));
    r.push(dateRange(1, "JAN", 2026, 31, "DEC", 2026), dateRange(2027, 2030));
    r.push(timeRange(10), timeRange(9, 10), timeRange(10, 15, 10, 16), timeRange(10, 15, 30, 10, 15, 30), timeRange(11, 12), timeRange());
    alert("helpers ran");
    return r.map(function (v) { return String(v); }).join(" ");
}
