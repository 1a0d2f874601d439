// Site-dependent routing on where this machine is (myIpAddress), then where the target is.
function FindProxyForURL(url, host) {
    var me = myIpAddress();
    if (isInNet(me, "10.20.0.0", "255.255.0.0")) {            // Paris office
        if (isInNet(host, "10.0.0.0", "255.0.0.0")) {
            if (isInNet(host, "10.200.0.0", "255.255.0.0")) {
                return "PROXY dmz-gw.paris.corp.example.com:3128";
            }
            return "DIRECT";
        }
        return "PROXY proxy.paris.corp.example.com:8080; PROXY proxy.corp.example.com:8080";
    }
    if (isInNet(me, "10.30.0.0", "255.255.0.0")) {            // Berlin office
        return "PROXY proxy.berlin.corp.example.com:8080";
    }
    return "DIRECT";                                           // at home, on VPN split tunnel
}
