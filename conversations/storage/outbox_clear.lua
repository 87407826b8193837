-- Take one entry out of a team's revisit outbox, only if it is still the entry the caller
-- scheduled (a newer completion of the same assessment stays for the next drain).
-- KEYS[1] the team's outbox hash. ARGV[1] assessment id, ARGV[2] the entry as read.
-- Returns the number of entries left, or -1 when the entry had changed.
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return -1 end
redis.call('HDEL', KEYS[1], ARGV[1])
return redis.call('HLEN', KEYS[1])
