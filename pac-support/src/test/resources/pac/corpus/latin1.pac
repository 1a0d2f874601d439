function FindProxyForURL(url, host) {
  // Café règle: route « spéciale »
  if (host == "café.example") return "PROXY p1.example:8080";
  return "DIRECT";
}
