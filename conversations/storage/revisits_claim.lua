-- Claim due revisits atomically: first return expired leases to the queue (their
-- holder died or stalled), then move up to LIMIT due members into the lease set.
-- KEYS[1] due zset, KEYS[2] lease zset, KEYS[3] info hash
-- ARGV[1] now, ARGV[2] lease expiry, ARGV[3] limit
-- Returns a flat list: member, info, member, info, ...
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[3])
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, limit)
for _, m in ipairs(expired) do
  redis.call('ZREM', KEYS[2], m)
  redis.call('ZADD', KEYS[1], now, m)
end
local out = {}
local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, limit)
for _, m in ipairs(members) do
  redis.call('ZREM', KEYS[1], m)
  local info = redis.call('HGET', KEYS[3], m)
  if info then
    local due, snz, att = string.match(info, '^([^|]*)|([^|]*)|([^|]*)|')
    local updated = due .. '|' .. snz .. '|' .. tostring((tonumber(att) or 0) + 1) .. '|q'
    redis.call('HSET', KEYS[3], m, updated)
    redis.call('ZADD', KEYS[2], ARGV[2], m)
    table.insert(out, m)
    table.insert(out, updated)
  end
end
return out
