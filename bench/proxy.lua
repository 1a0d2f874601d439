-- wrk has no proxy option: this script makes it send absolute-form requests, so that the host
-- wrk connects to acts as an HTTP proxy. TARGET is the absolute URL to fetch; PACE_MS, when
-- set, is each connection's pause between requests (a paced load instead of a saturating one).
-- CLOSE=1 sends Connection: close, so that each request comes on a new client connection (what
-- apt, pip and shell scripts do).
local target = os.getenv("TARGET")
local pace = tonumber(os.getenv("PACE_MS") or "")
if os.getenv("CLOSE") == "1" then
  wrk.headers["Connection"] = "close"
end
if target then
  -- a proxy client's Host is the target's authority, as curl's is (HAProxy answers 400 to a Host
  -- that differs from the absolute-form's authority)
  wrk.headers["Host"] = target:match("^%a+://([^/]+)")
  request = function()
    return wrk.format("GET", target)
  end
end
if pace then
  delay = function()
    return pace
  end
end
