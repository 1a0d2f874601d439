// Weekend and night routes, a maintenance window in December, a New Year exception.
function FindProxyForURL(url, host) {
    if (dateRange(31, "DEC", 1, "JAN")) {
        return "PROXY newyear.corp.example.com:8080";
    }
    if (dateRange("DEC") && timeRange(2, 0, 3, 30, "GMT")) {
        return "PROXY maintenance.corp.example.com:8080";
    }
    if (weekdayRange("SAT", "SUN")) {
        return "PROXY weekend.corp.example.com:8080";
    }
    // whole hours do not wrap around midnight (timeRange(22, 6) is never true, as in the browsers)
    if (timeRange(22, 0, 6, 0)) {
        return "PROXY night.corp.example.com:8080";
    }
    if (weekdayRange("MON", "FRI") && timeRange(8, 17) && dateRange(2026, 2027)) {
        return "PROXY office-hours.corp.example.com:8080";
    }
    return "DIRECT";
}
