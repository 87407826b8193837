-- Schedule the first revisit of one completion, once: a second drain of the same outbox
-- entry (its holder died before clearing it) changes nothing, so a snooze, a dismissal or a
-- delivery that happened in between stands.
-- KEYS[1] info hash, KEYS[2] lease zset, KEYS[3] due zset, KEYS[4] completion stamps hash
-- ARGV[1] member, ARGV[2] due (as stored), ARGV[3] due (score), ARGV[4] completion stamp
-- Returns 1 when scheduled, 0 when this completion was scheduled before.
if redis.call('HGET', KEYS[4], ARGV[1]) == ARGV[4] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '||0|q')
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[4], ARGV[1], ARGV[4])
return 1
