-- Settle a claimed revisit, only if it is still the occurrence the caller holds
-- (a snooze, dismissal or re-schedule in the meantime wins).
-- KEYS[1] due zset, KEYS[2] lease zset, KEYS[3] info hash
-- ARGV[1] member, ARGV[2] expected "due|snz" prefix, ARGV[3] action: "done" | "retry"
-- ARGV[4] retry time (for "retry")
-- Returns 1 when settled, 0 when the revisit changed under us.
local info = redis.call('HGET', KEYS[3], ARGV[1])
if not info then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 0
end
local due, snz, att = string.match(info, '^([^|]*)|([^|]*)|([^|]*)|')
if (due .. '|' .. snz) ~= ARGV[2] or redis.call('ZSCORE', KEYS[2], ARGV[1]) == false then
  return 0
end
redis.call('ZREM', KEYS[2], ARGV[1])
if ARGV[3] == 'done' then
  redis.call('HSET', KEYS[3], ARGV[1], due .. '|' .. snz .. '|0|d')
else
  redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
end
return 1
