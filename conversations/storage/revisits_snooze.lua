-- Snooze one revisit in one step, so a reschedule cannot land between the read and the write.
-- KEYS: info hash, lease zset, due zset. ARGV: member, snooze end (as stored), snooze end (score).
local info = redis.call('HGET', KEYS[1], ARGV[1])
if not info then
  return 0
end
local due = string.match(info, '^([^|]*)|')
redis.call('HSET', KEYS[1], ARGV[1], due .. '|' .. ARGV[2] .. '|0|q')
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
return 1
