-- wrk has no proxy option: this script makes it send absolute-form requests, so that the host
-- wrk connects to acts as an HTTP proxy. TARGET is the absolute URL to fetch.
local target = os.getenv("TARGET")
request = function()
  return wrk.format("GET", target)
end
